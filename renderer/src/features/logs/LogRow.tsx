/** One log line: timestamp, coloured container tag, ANSI-styled text with search highlights. */
import { memo, type CSSProperties } from 'react';
import { parseAnsi, type AnsiStyle } from './ansi.js';
import { splitAtRanges } from './highlight.js';
import type { Range } from './log-search.js';
import type { ViewLine } from './log-store.js';

function styleOf(s: AnsiStyle): { className: string; style?: CSSProperties } {
  const cls: string[] = [];
  const style: CSSProperties = {};
  if (typeof s.fg === 'number') cls.push(`ansi-fg-${s.fg}`);
  else if (s.fg) style.color = s.fg;
  if (typeof s.bg === 'number') cls.push(`ansi-bg-${s.bg}`);
  else if (s.bg) style.backgroundColor = s.bg;
  if (s.bold) cls.push('ansi-bold');
  if (s.dim) cls.push('ansi-dim');
  if (s.italic) cls.push('ansi-italic');
  if (s.underline) cls.push('ansi-underline');
  return { className: cls.join(' '), ...(style.color || style.backgroundColor ? { style } : {}) };
}

/** "12:03:04.123" (UTC, like Docker's timestamps). */
export function clock(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(11, 23) : '--:--:--.---';
}

export const LogRow = memo(function LogRow({
  line,
  colour,
  showTime,
  showContainer,
  ranges,
  current,
  onTimeline,
}: {
  line: ViewLine;
  colour: number;
  showTime: boolean;
  showContainer: boolean;
  ranges: readonly Range[];
  /** This row holds the current match. */
  current: boolean;
  /** "Show on timeline" for this line's time (absent: no timeline to show it on). */
  onTimeline?: ((ms: number) => void) | undefined;
}) {
  const pieces = line.marker
    ? [{ text: line.plain, style: {} }]
    : splitAtRanges(parseAnsi(line.text), ranges);
  return (
    <div
      className={`log-row${line.stderr && !line.marker ? ' log-stderr' : ''}${line.marker ? ' log-marker' : ''}${current ? ' log-current' : ''}`}
      data-seq={line.seq}
      data-container={line.container}
      data-testid={line.marker ? 'log-dropped-marker' : undefined}
    >
      {onTimeline && Number.isFinite(line.time) && (
        <button
          className="log-row-action"
          aria-label="Show on timeline"
          title="Show this moment on the launch timeline"
          onClick={() => onTimeline(line.time)}
        >
          ⏱
        </button>
      )}
      {showTime && <span className="log-time">{clock(line.time)}</span>}
      {showContainer && (
        <span
          className={`log-tag log-colour-${colour}`}
          title={`${line.container} (${line.stderr ? 'stderr' : 'stdout'})`}
        >
          {line.container}
        </span>
      )}
      <span className="log-text">
        {pieces.map((p, i) => {
          const { className, style } = styleOf(p.style);
          const match = 'match' in p ? p.match : undefined;
          const mark = match !== undefined ? (current ? ' log-match log-match-current' : ' log-match') : '';
          return className || style || mark ? (
            <span key={i} className={`${className}${mark}`} style={style}>
              {p.text}
            </span>
          ) : (
            p.text
          );
        })}
      </span>
    </div>
  );
});
