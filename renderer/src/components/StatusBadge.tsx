/** Coloured status pills for task/container status and health. */
export function StatusBadge({ status }: { status: string }) {
  const tone =
    status === 'RUNNING'
      ? 'ok'
      : status === 'STOPPED'
        ? 'muted'
        : status === 'PENDING' || status === 'PROVISIONING' || status === 'ACTIVATING'
          ? 'progress'
          : 'warn';
  return (
    <span className={`badge badge-${tone}`} data-status={status}>
      {tone === 'progress' || tone === 'warn' ? <span className="spinner-dot" aria-hidden /> : null}
      {status}
    </span>
  );
}

export function HealthBadge({ health }: { health: string }) {
  const tone = health === 'HEALTHY' ? 'ok' : health === 'UNHEALTHY' ? 'error' : 'muted';
  return (
    <span className={`badge badge-${tone} badge-outline`} data-health={health}>
      {health}
    </span>
  );
}

export function StopCodeBadge({ code }: { code: string | undefined }) {
  if (!code) return <span className="muted">—</span>;
  const tone = code === 'UserInitiated' ? 'muted' : code === 'TaskFailedToStart' ? 'error' : 'warn';
  return <span className={`badge badge-${tone} badge-outline`}>{code}</span>;
}
