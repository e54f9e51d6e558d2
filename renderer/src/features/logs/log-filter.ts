/**
 * Which lines the viewer shows (pure, incremental): container toggles and stream filter produce a
 * list of line indices; when only new lines arrived, only they are examined, so a live append
 * costs O(batch) rather than O(all lines).
 */
import type { LogLine } from '../../../../contract/dto.js';

export interface LogFilter {
  /** Containers shown (merged view) — or exactly one (single-container view). */
  readonly containers: ReadonlySet<string>;
  readonly stream: 'all' | 'stdout' | 'stderr';
}

export interface FilterCache {
  readonly key: string;
  /** Lines examined so far (absolute: dropped + index). */
  examined: number;
  dropped: number;
  /** Indices into the store's arrays, in order. */
  indices: number[];
}

export const filterKey = (f: LogFilter): string => `${[...f.containers].sort().join('\0')}|${f.stream}`;

export function keep(line: LogLine, f: LogFilter): boolean {
  return f.containers.has(line.container) && (f.stream === 'all' || line.stream === f.stream);
}

/** Updates (or rebuilds) `cache` for `lines`; returns the cache to use from now on. */
export function refreshFilter(
  cache: FilterCache | undefined,
  lines: readonly LogLine[],
  dropped: number,
  filter: LogFilter,
): FilterCache {
  const key = filterKey(filter);
  let c = cache;
  if (!c || c.key !== key || c.examined < dropped) c = { key, examined: dropped, dropped, indices: [] };
  if (c.dropped !== dropped) {
    // Lines fell off the front: shift the indices we have.
    const shift = dropped - c.dropped;
    c.indices = c.indices.map((i) => i - shift).filter((i) => i >= 0);
    c.dropped = dropped;
  }
  for (let i = c.examined - dropped; i < lines.length; i++) if (keep(lines[i]!, filter)) c.indices.push(i);
  c.examined = dropped + lines.length;
  return c;
}
