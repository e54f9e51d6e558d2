/**
 * One task's log lines in the page, as a list of columnar chunks (see log-chunk.ts). Lines are
 * addressed by an absolute number that never changes (dropping old lines moves `first`, it does
 * not renumber), so filters and search results stay valid while lines stream in and fall off.
 * Subscribers are told at most once per 100 ms, so a burst of chunks costs one render.
 */
import { chunkPlain, chunkText, concatChunks, MARKER, STDERR, type LogChunk } from './log-chunk.js';

/**
 * Lines kept per task in the page; older chunks are dropped (the engine keeps them on disk).
 * 1.5 M rows of 20 px stay below Chromium's ~33 M px element height.
 */
export const MAX_VIEWER_LINES = 1_500_000;

/** Live chunks smaller than this are merged into the previous one, so a trickle stays few chunks. */
const MERGE_BELOW = 4096;

/** At most this often the viewer re-renders while lines stream in. */
const NOTIFY_EVERY_MS = 100;

export class LogStore {
  private chunks: LogChunk[] = [];
  /** Absolute number of each chunk's first line. */
  private starts: number[] = [];
  /** Absolute number of the first line kept. */
  first = 0;
  /** Absolute number one past the last line. */
  end = 0;
  names: readonly string[] = [];
  loaded = false;
  /** Set when the history could not be read. */
  error: string | undefined;
  /** Bumped on every change; a React external-store snapshot. */
  version = 0;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastNotify = 0;

  constructor(private readonly maxLines = MAX_VIEWER_LINES) {}

  /** Lines kept. */
  get count(): number {
    return this.end - this.first;
  }

  add(chunk: LogChunk): void {
    if (chunk.count === 0) return;
    if (chunk.names.length >= this.names.length) this.names = chunk.names;
    const last = this.chunks.length - 1;
    if (
      last >= 0 &&
      this.chunks[last]!.count + chunk.count <= MERGE_BELOW &&
      this.starts[last]! >= this.first
    ) {
      this.chunks[last] = concatChunks(this.chunks[last]!, chunk);
    } else {
      this.chunks.push(chunk);
      this.starts.push(this.end);
    }
    this.end += chunk.count;
    // Whole chunks fall off the front: O(1) per chunk, nothing is copied.
    while (this.chunks.length > 1 && this.end - this.starts[1]! >= this.maxLines) {
      this.chunks.shift();
      this.starts.shift();
      this.first = this.starts[0]!;
    }
    this.notify();
  }

  /** History has arrived (rendering says "no lines" from now on rather than "loading"). */
  markLoaded(error?: string): void {
    this.loaded = true;
    this.error = error;
    this.notify();
  }

  /** The chunk holding absolute line `abs` and the line's index in it. */
  locate(abs: number): [LogChunk, number] {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= abs) lo = mid;
      else hi = mid - 1;
    }
    return [this.chunks[lo]!, abs - this.starts[lo]!];
  }

  /** Calls `fn` for each chunk overlapping `[from, to)` with the local range and the chunk's base. */
  forEachRange(
    from: number,
    to: number,
    fn: (c: LogChunk, lo: number, hi: number, base: number) => void,
  ): void {
    for (let k = 0; k < this.chunks.length; k++) {
      const base = this.starts[k]!;
      const c = this.chunks[k]!;
      if (base + c.count <= from) continue;
      if (base >= to) break;
      fn(c, Math.max(0, from - base), Math.min(c.count, to - base), base);
    }
  }

  text(abs: number): string {
    const [c, i] = this.locate(abs);
    return chunkText(c, i);
  }

  plain(abs: number): string {
    const [c, i] = this.locate(abs);
    return chunkPlain(c, i);
  }

  /** One line, unpacked (for the rows on screen and for export). */
  line(abs: number): ViewLine {
    const [c, i] = this.locate(abs);
    const flags = c.flags[i]!;
    return {
      abs,
      seq: c.seq[i]!,
      time: c.time[i]!,
      container: c.names[c.container[i]!] ?? this.names[c.container[i]!] ?? '?',
      stderr: (flags & STDERR) !== 0,
      marker: (flags & MARKER) !== 0,
      text: chunkText(c, i),
      plain: chunkPlain(c, i),
    };
  }

  /** First kept line at or after `ms` (lines are in arrival order, so times are almost sorted). */
  firstAtOrAfter(ms: number): number | undefined {
    for (let k = 0; k < this.chunks.length; k++) {
      const c = this.chunks[k]!;
      if (!(c.time[c.count - 1]! >= ms)) continue;
      for (let i = 0; i < c.count; i++) if (c.time[i]! >= ms) return this.starts[k]! + i;
    }
    return undefined;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): number => this.version;

  private notify(): void {
    if (this.timer !== undefined) return;
    // Trailing throttle: one render per burst window however many chunks arrive. A one-shot
    // timer per change, not a poll: nothing runs while no lines arrive.
    const wait = Math.max(0, this.lastNotify + NOTIFY_EVERY_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastNotify = Date.now();
      this.version++;
      for (const l of this.listeners) l();
    }, wait);
  }
}

/** A line as the viewer renders and exports it. */
export interface ViewLine {
  readonly abs: number;
  readonly seq: number;
  /** ms since the epoch. */
  readonly time: number;
  readonly container: string;
  readonly stderr: boolean;
  /** A "lines dropped" marker, not container output. */
  readonly marker: boolean;
  readonly text: string;
  readonly plain: string;
}
