/** Splits styled ANSI spans at search-match ranges so matches highlight in place (pure). */
import type { AnsiSpan, AnsiStyle } from './ansi.js';
import type { Range } from './log-search.js';

export interface Piece {
  readonly text: string;
  readonly style: AnsiStyle;
  /** Index of the match this piece belongs to, if any. */
  readonly match?: number;
}

/** `spans` cut at every range boundary; ranges index the concatenated (escape-free) text. */
export function splitAtRanges(spans: readonly AnsiSpan[], ranges: readonly Range[]): Piece[] {
  if (ranges.length === 0) return spans.map((s) => ({ text: s.text, style: s.style }));
  const out: Piece[] = [];
  let offset = 0;
  for (const span of spans) {
    const spanEnd = offset + span.text.length;
    let pos = offset;
    for (let r = 0; r < ranges.length && pos < spanEnd; r++) {
      const range = ranges[r]!;
      if (range.end <= pos || range.start >= spanEnd) continue;
      if (range.start > pos)
        out.push({ text: span.text.slice(pos - offset, range.start - offset), style: span.style });
      const end = Math.min(range.end, spanEnd);
      const from = Math.max(range.start, pos);
      out.push({ text: span.text.slice(from - offset, end - offset), style: span.style, match: r });
      pos = end;
    }
    if (pos < spanEnd) out.push({ text: span.text.slice(pos - offset), style: span.style });
    offset = spanEnd;
  }
  return out;
}
