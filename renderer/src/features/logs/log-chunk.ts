/**
 * Columnar log lines (pure): a batch of lines as a few typed arrays and two joined strings instead
 * of an object per line. A chunk crosses from the parsing worker by transfer (no copy of the arrays),
 * costs ~25 bytes per line plus the text, and is searched with one regular-expression scan over its
 * joined text rather than one call per line.
 */
import type { LogLine } from '../../../../contract/dto.js';
import { stripAnsi } from './ansi.js';

/** Per-line flag bits. */
export const STDERR = 1;
export const MARKER = 2;

/** Lines `[0, count)`; line i's text is `text.slice(i ? ends[i-1] + 1 : 0, ends[i])`. */
export interface LogChunk {
  readonly count: number;
  readonly seq: Float64Array;
  /** Milliseconds since the epoch (NaN when the time did not parse). */
  readonly time: Float64Array;
  /** Index into `names`. */
  readonly container: Uint16Array;
  readonly flags: Uint8Array;
  /** Raw texts (with ANSI escapes) joined by "\n". */
  readonly text: string;
  readonly ends: Uint32Array;
  /** Escape-free texts joined by "\n" (what search, copy and export see); `=== text` when none had escapes. */
  readonly plain: string;
  readonly plainEnds: Uint32Array;
  /** Container names by index (the whole table so far). */
  readonly names: readonly string[];
}

// Lines of one second share their prefix: parse it once (Date.parse is the costly part).
let lastPrefix = '';
let lastBase = NaN;

/** Docker's RFC 3339 time (nanoseconds allowed) → ms since the epoch; NaN when it is not one. */
export function isoToMs(iso: string): number {
  // Fast path: "YYYY-MM-DDTHH:MM:SS[.fffffffff]Z".
  const n = iso.length;
  if (n >= 20 && iso.charCodeAt(n - 1) === 90 /* Z */ && iso.charCodeAt(10) === 84 /* T */) {
    const prefix = iso.slice(0, 19);
    if (prefix !== lastPrefix) {
      lastPrefix = prefix;
      lastBase = Date.parse(`${prefix}Z`);
    }
    if (n === 20) return lastBase;
    if (iso.charCodeAt(19) === 46 /* . */) {
      let frac = 0;
      let scale = 100;
      for (let i = 20; i < n - 1 && i < 26; i++) {
        const d = iso.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return NaN;
        frac += d * scale;
        scale /= 10;
      }
      return lastBase + frac;
    }
  }
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  if (!m) return Date.parse(iso);
  const frac = m[2] ? Number(`0.${m[2].slice(0, 6)}`) * 1000 : 0;
  return Date.parse(`${m[1]}${m[3]}`) + frac;
}

/** Assigns stable indices to container names (the worker's side of the `names` table). */
export class NameTable {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  of(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}

/** Builds one chunk from lines (in order). */
export function buildChunk(lines: readonly LogLine[], names: NameTable): LogChunk {
  const count = lines.length;
  const seq = new Float64Array(count);
  const time = new Float64Array(count);
  const container = new Uint16Array(count);
  const flags = new Uint8Array(count);
  const ends = new Uint32Array(count);
  const texts: string[] = new Array<string>(count);
  let plains: string[] | undefined;
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const l = lines[i]!;
    seq[i] = l.seq;
    time[i] = isoToMs(l.time);
    container[i] = names.of(l.container);
    flags[i] = (l.stream === 'stderr' ? STDERR : 0) | (l.dropped !== undefined ? MARKER : 0);
    texts[i] = l.text;
    offset += l.text.length;
    ends[i] = offset;
    offset += 1;
    if (!plains && l.text.includes('\x1b')) plains = texts.slice(0, i);
    if (plains) plains[i] = stripAnsi(l.text);
  }
  const text = texts.join('\n');
  if (!plains)
    return {
      count,
      seq,
      time,
      container,
      flags,
      text,
      ends,
      plain: text,
      plainEnds: ends,
      names: names.names.slice(),
    };
  const plainEnds = new Uint32Array(count);
  let p = 0;
  for (let i = 0; i < count; i++) {
    p += plains[i]!.length;
    plainEnds[i] = p;
    p += 1;
  }
  return {
    count,
    seq,
    time,
    container,
    flags,
    text,
    ends,
    plain: plains.join('\n'),
    plainEnds,
    names: names.names.slice(),
  };
}

/** The buffers to transfer with a chunk (each once). */
export function transferables(c: LogChunk): ArrayBuffer[] {
  const set = new Set<ArrayBuffer>();
  for (const a of [c.seq, c.time, c.container, c.flags, c.ends, c.plainEnds])
    set.add(a.buffer as ArrayBuffer);
  return [...set];
}

const slice = (s: string, ends: Uint32Array, i: number) => s.slice(i === 0 ? 0 : ends[i - 1]! + 1, ends[i]);

/** Raw text of line i. */
export const chunkText = (c: LogChunk, i: number): string => slice(c.text, c.ends, i);

/** Escape-free text of line i. */
export const chunkPlain = (c: LogChunk, i: number): string =>
  c.plain === c.text ? slice(c.text, c.ends, i) : slice(c.plain, c.plainEnds, i);

function concatArrays<T extends Float64Array | Uint16Array | Uint8Array | Uint32Array>(
  a: T,
  b: T,
  make: (n: number) => T,
): T {
  const out = make(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function shiftedEnds(a: Uint32Array, b: Uint32Array, by: number): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  out.set(a);
  for (let i = 0; i < b.length; i++) out[a.length + i] = b[i]! + by;
  return out;
}

/** `a` followed by `b` as one chunk (small live batches are merged so chunks stay few). */
export function concatChunks(a: LogChunk, b: LogChunk): LogChunk {
  const textShift = a.text.length + 1;
  const text = `${a.text}\n${b.text}`;
  const ends = shiftedEnds(a.ends, b.ends, textShift);
  const samePlain = a.plain === a.text && b.plain === b.text;
  return {
    count: a.count + b.count,
    seq: concatArrays(a.seq, b.seq, (n) => new Float64Array(n)),
    time: concatArrays(a.time, b.time, (n) => new Float64Array(n)),
    container: concatArrays(a.container, b.container, (n) => new Uint16Array(n)),
    flags: concatArrays(a.flags, b.flags, (n) => new Uint8Array(n)),
    text,
    ends,
    plain: samePlain ? text : `${a.plain}\n${b.plain}`,
    plainEnds: samePlain ? ends : shiftedEnds(a.plainEnds, b.plainEnds, a.plain.length + 1),
    names: b.names.length >= a.names.length ? b.names : a.names,
  };
}

/** First line index in `[from, to)` whose end offset is ≥ `offset` (binary search). */
export function lineAtOffset(ends: Uint32Array, offset: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
