/**
 * An incremental search over a store: scans in slices of a few milliseconds so typing a query over
 * a million lines never freezes a frame, reports hits as it finds them (the first one usually in the
 * first slice), and carries on over lines that arrive later.
 */
import { AbsList } from './abs-list.js';
import type { LogStore } from './log-store.js';
import { scanChunk, type Matcher } from './log-search.js';

export class SearchJob {
  readonly matches = new AbsList();
  /** Absolute lines scanned so far. */
  scanned = 0;

  constructor(
    readonly key: string,
    readonly matcher: Matcher,
  ) {}

  /** Whether lines are left to scan. */
  pending(store: LogStore): boolean {
    return this.scanned < store.end && this.matcher.ok && !this.matcher.empty;
  }

  /** Scans until `budgetMs` has passed or the store's end; returns how many hits it added. */
  run(store: LogStore, budgetMs: number, now: () => number = () => performance.now()): number {
    this.matches.trimBelow(store.first);
    const before = this.matches.length;
    if (this.scanned < store.first) this.scanned = store.first;
    if (!this.pending(store)) return 0;
    const deadline = now() + budgetMs;
    // At most this many lines between clock checks (one scan of them takes well under a millisecond).
    const STEP = 8192;
    // At least one step per call, so every slice makes progress.
    do {
      const to = Math.min(store.end, this.scanned + STEP);
      store.forEachRange(this.scanned, to, (chunk, lo, hi, base) =>
        scanChunk(chunk, lo, hi, this.matcher, (i) => this.matches.push(base + i)),
      );
      this.scanned = to;
    } while (this.scanned < store.end && now() < deadline);
    return this.matches.length - before;
  }
}
