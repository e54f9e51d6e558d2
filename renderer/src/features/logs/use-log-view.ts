/**
 * The viewer's derived data: shown rows (filter) and search matches, both extended incrementally
 * as lines arrive. Match positions index the shown rows.
 */
import { useMemo } from 'react';
import { refreshFilter, type FilterCache, type LogFilter } from './log-filter.js';
import type { LogStore } from './log-store.js';
import { buildMatcher, type Matcher, type SearchOptions } from './log-search.js';

export interface LogView {
  /** Store indices of the rows shown. */
  readonly rows: readonly number[];
  readonly matcher: Matcher;
  /** Positions (into `rows`) of matching rows. */
  readonly matches: readonly number[];
}

/** Incremental caches behind one viewer (one per store). */
class ViewCache {
  private filter: FilterCache | undefined;
  private match: { key: string; examined: number; matches: number[] } | undefined;

  compute(store: LogStore, filter: LogFilter, matcher: Matcher, matcherKey: string): LogView {
    const fc = refreshFilter(this.filter, store.lines, store.dropped, filter);
    this.filter = fc;
    const rows = fc.indices;
    if (!matcher.ok || matcher.empty) {
      this.match = undefined;
      return { rows: rows.slice(), matcher, matches: [] };
    }
    const key = `${fc.key}\n${matcherKey}\n${store.dropped}`;
    let mc = this.match;
    if (!mc || mc.key !== key || mc.examined > rows.length) mc = { key, examined: 0, matches: [] };
    for (let p = mc.examined; p < rows.length; p++)
      if (matcher.test(store.plain[rows[p]!] ?? '')) mc.matches.push(p);
    mc.examined = rows.length;
    this.match = mc;
    return { rows: rows.slice(), matcher, matches: mc.matches.slice() };
  }
}

export function useLogView(
  store: LogStore,
  version: number,
  filter: LogFilter,
  query: string,
  search: SearchOptions,
): LogView {
  const cache = useMemo(() => {
    void store;
    return new ViewCache();
  }, [store]);
  const { regex, caseSensitive } = search;
  const matcher = useMemo(() => buildMatcher(query, { regex, caseSensitive }), [query, regex, caseSensitive]);
  const matcherKey = `${query}\n${regex}\n${caseSensitive}`;
  return useMemo(() => {
    void version; // stands for the store's contents
    return cache.compute(store, filter, matcher, matcherKey);
  }, [cache, version, store, filter, matcher, matcherKey]);
}
