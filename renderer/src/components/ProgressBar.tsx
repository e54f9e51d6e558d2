/** A determinate (or indeterminate when total is unknown) progress bar. */
export function ProgressBar({ current, total, label }: { current?: number; total?: number; label: string }) {
  const pct =
    total && total > 0 && current !== undefined
      ? Math.min(100, Math.round((current / total) * 100))
      : undefined;
  return (
    <div
      className={`progress${pct === undefined ? ' progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      {...(pct !== undefined ? { 'aria-valuenow': pct } : {})}
    >
      <div className="progress-fill" style={pct !== undefined ? { width: `${pct}%` } : undefined} />
    </div>
  );
}
