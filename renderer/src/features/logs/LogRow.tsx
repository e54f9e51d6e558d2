/** One log line: timestamp, coloured container tag, ANSI-styled text with search highlights. */
import { memo, type CSSProperties } from 'react';
import type { LogLine } from '../../../../contract/dto.js';
import { parseAnsi, type AnsiStyle } from './ansi.js';
import { splitAtRanges } from './highlight.js';
import type { Range } from './log-search.js';

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

/** "12:03:04.123" from Docker's RFC3339Nano time. */
function clock(iso: string): string {
  const m = /T(\d\d:\d\d:\d\d)(\.\d{1,3})?/.exec(iso);
  return m ? `${m[1]}${(m[2] ?? '.000').padEnd(4, '0')}` : iso;
}

export const LogRow = memo(function LogRow({
  line,
  colour,
  showTime,
  showContainer,
  ranges,
  current,
}: {
  line: LogLine;
  colour: number;
  showTime: boolean;
  showContainer: boolean;
  ranges: readonly Range[];
  /** This row holds the current match. */
  current: boolean;
}) {
  const pieces = splitAtRanges(parseAnsi(line.text), ranges);
  return (
    <div
      className={`log-row${line.stream === 'stderr' ? ' log-stderr' : ''}${current ? ' log-current' : ''}`}
      data-seq={line.seq}
      data-container={line.container}
    >
      {showTime && <span className="log-time">{clock(line.time)}</span>}
      {showContainer && (
        <span className={`log-tag log-colour-${colour}`} title={`${line.container} (${line.stream})`}>
          {line.container}
        </span>
      )}
      <span className="log-text">
        {pieces.map((p, i) => {
          const { className, style } = styleOf(p.style);
          const mark = p.match !== undefined ? (current ? ' log-match log-match-current' : ' log-match') : '';
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
