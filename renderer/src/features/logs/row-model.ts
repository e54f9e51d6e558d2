/**
 * What one log row shows (pure): classes, timestamp, coloured container tag, and the text as
 * ANSI-styled pieces with search highlights. `paintRow` (row-paint.ts) writes it into a recycled
 * row element; nothing here touches the DOM.
 */
import { parseAnsi, type AnsiStyle } from './ansi.js';
import { splitAtRanges } from './highlight.js';
import type { Range } from './log-search.js';
import type { ViewLine } from './log-store.js';

/** How rows look (the same for every row of the viewer). */
export interface RowLook {
  readonly showTime: boolean;
  readonly showContainer: boolean;
  /** Rows get a "Show on timeline" button. */
  readonly timeline: boolean;
  colourOf(container: string): number;
}

export interface TextPiece {
  readonly text: string;
  /** Classes (ANSI palette, attributes, match); empty for unstyled text. */
  readonly className: string;
  /** A 256/true colour the palette classes cannot express. */
  readonly color?: string;
  readonly background?: string;
}

export interface RowModel {
  readonly className: string;
  readonly seq: number;
  readonly container: string;
  readonly marker: boolean;
  /** ms since the epoch for the timeline button; absent: no button. */
  readonly timelineMs?: number;
  readonly time?: string;
  readonly tag?: { readonly text: string; readonly className: string; readonly title: string };
  readonly pieces: readonly TextPiece[];
}

/** "12:03:04.123" (UTC, like Docker's timestamps). */
export function clock(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(11, 23) : '--:--:--.---';
}

function styleClasses(s: AnsiStyle): string {
  let cls = '';
  if (typeof s.fg === 'number') cls += ` ansi-fg-${s.fg}`;
  if (typeof s.bg === 'number') cls += ` ansi-bg-${s.bg}`;
  if (s.bold) cls += ' ansi-bold';
  if (s.dim) cls += ' ansi-dim';
  if (s.italic) cls += ' ansi-italic';
  if (s.underline) cls += ' ansi-underline';
  return cls;
}

export function rowModel(
  line: ViewLine,
  ranges: readonly Range[],
  current: boolean,
  look: RowLook,
): RowModel {
  const marker = line.marker;
  let pieces: TextPiece[];
  if (marker || (ranges.length === 0 && !line.text.includes('\x1b'))) {
    pieces = [{ text: marker ? line.plain : line.text, className: '' }];
  } else {
    pieces = splitAtRanges(parseAnsi(line.text), ranges).map((p) => {
      const mark = p.match !== undefined ? (current ? ' log-match log-match-current' : ' log-match') : '';
      const s = p.style;
      return {
        text: p.text,
        className: `${styleClasses(s)}${mark}`.trim(),
        ...(typeof s.fg === 'string' ? { color: s.fg } : {}),
        ...(typeof s.bg === 'string' ? { background: s.bg } : {}),
      };
    });
  }
  return {
    className: `log-row${line.stderr && !marker ? ' log-stderr' : ''}${marker ? ' log-marker' : ''}${current ? ' log-current' : ''}`,
    seq: line.seq,
    container: line.container,
    marker,
    ...(look.timeline && Number.isFinite(line.time) ? { timelineMs: line.time } : {}),
    ...(look.showTime ? { time: clock(line.time) } : {}),
    ...(look.showContainer
      ? {
          tag: {
            text: line.container,
            className: `log-tag log-colour-${look.colourOf(line.container)}`,
            title: `${line.container} (${line.stderr ? 'stderr' : 'stdout'})`,
          },
        }
      : {}),
    pieces,
  };
}
