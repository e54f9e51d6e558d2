/**
 * Which lines the viewer shows (pure, incremental): container toggles and the stream filter. When
 * only new lines arrived, only they are examined, so a live append costs O(batch) rather than
 * O(all lines); when nothing is filtered out the rows are the store itself (no list at all).
 */
import { MARKER, STDERR } from './log-chunk.js';
import { AbsList } from './abs-list.js';
import type { LogStore } from './log-store.js';

export interface LogFilter {
  /** Containers shown (merged view) — or exactly one (single-container view). */
  readonly containers: ReadonlySet<string>;
  readonly stream: 'all' | 'stdout' | 'stderr';
}

export const filterKey = (f: LogFilter): string => `${[...f.containers].sort().join('\0')}|${f.stream}`;

/** A predicate over one chunk's container index and flags (names resolved once per chunk). */
export function linePredicate(
  f: LogFilter,
  names: readonly string[],
): (container: number, flags: number) => boolean {
  const shown = names.map((n) => f.containers.has(n));
  return (container, flags) =>
    shown[container] === true &&
    // A dropped-lines marker belongs to its container, whatever the stream filter says.
    ((flags & MARKER) !== 0 || f.stream === 'all' || (f.stream === 'stderr') === ((flags & STDERR) !== 0));
}

/** Whether `f` shows every line of `names`. */
export function showsAll(f: LogFilter, names: readonly string[]): boolean {
  return f.stream === 'all' && names.every((n) => f.containers.has(n));
}

export interface FilterCache {
  readonly key: string;
  /** Absolute lines examined so far. */
  examined: number;
  readonly rows: AbsList;
}

/** Updates (or rebuilds) `cache` for the store's lines; returns the cache to use from now on. */
export function refreshFilter(
  cache: FilterCache | undefined,
  store: LogStore,
  filter: LogFilter,
): FilterCache {
  const key = filterKey(filter);
  let c = cache;
  if (!c || c.key !== key) c = { key, examined: store.first, rows: new AbsList() };
  c.rows.trimBelow(store.first);
  const from = Math.max(c.examined, store.first);
  const rows = c.rows;
  // Container indices are one table for the whole store (the newest names cover every chunk).
  const keep = linePredicate(filter, store.names);
  store.forEachRange(from, store.end, (chunk, lo, hi, base) => {
    for (let i = lo; i < hi; i++) if (keep(chunk.container[i]!, chunk.flags[i]!)) rows.push(base + i);
  });
  c.examined = store.end;
  return c;
}
