/**
 * The viewer's derived data: shown rows (filter, optionally only matching lines) and search matches,
 * all extended incrementally as lines arrive. Search runs in time slices between frames.
 */
import { useEffect, useMemo, useState } from 'react';
import { AbsList } from './abs-list.js';
import {
  filterKey,
  linePredicate,
  refreshFilter,
  showsAll,
  type FilterCache,
  type LogFilter,
} from './log-filter.js';
import type { LogStore } from './log-store.js';
import { buildMatcher, type Matcher, type SearchOptions } from './log-search.js';
import { SearchJob } from './search-job.js';

/** Positions → absolute line numbers for the rows on screen. */
export interface Rows {
  readonly length: number;
  at(position: number): number;
  /** Position of an absolute line, or -1 when it is not shown. */
  positionOf(abs: number): number;
  /** Position of the first shown line at or after `abs`. */
  lowerBound(abs: number): number;
}

export interface LogView {
  readonly rows: Rows;
  readonly matcher: Matcher;
  /** Matching lines that are shown (absolute numbers, in order). */
  readonly matches: { readonly length: number; at(k: number): number };
  /** The search is still scanning. */
  readonly searching: boolean;
}

const listRows = (list: AbsList): Rows => ({
  length: list.length,
  at: (p) => list.at(p),
  positionOf: (abs) => list.indexOf(abs),
  lowerBound: (abs) => list.lowerBound(abs),
});

const storeRows = (first: number, count: number): Rows => ({
  length: count,
  at: (p) => first + p,
  positionOf: (abs) => (abs >= first && abs < first + count ? abs - first : -1),
  lowerBound: (abs) => Math.min(count, Math.max(0, abs - first)),
});

/** Search time per slice: well inside a frame, so scrolling and streaming stay smooth. */
const SLICE_MS = 8;
const FIRST_SLICE_MS = 25;

export function useLogView(
  store: LogStore,
  version: number,
  filter: LogFilter,
  query: string,
  search: SearchOptions,
  onlyMatching: boolean,
): LogView {
  const { regex, caseSensitive } = search;
  const matcher = useMemo(() => buildMatcher(query, { regex, caseSensitive }), [query, regex, caseSensitive]);
  const job = useMemo(() => {
    void store;
    return new SearchJob(`${query}\n${regex}\n${caseSensitive}`, matcher);
  }, [store, matcher, query, regex, caseSensitive]);
  const [progress, setProgress] = useState(0);
  const cache = useMemo(() => {
    void store;
    return new ViewCache();
  }, [store]);

  // Scan in slices; each slice that finds hits re-renders. New lines (version) resume the scan.
  // Slices are chained through a MessageChannel, not setTimeout (clamped to 4 ms when nested).
  useEffect(() => {
    let cancelled = false;
    let first = true;
    const channel = new MessageChannel();
    const step = () => {
      if (cancelled || !job.pending(store)) return;
      // The first slice may take longer: the keystroke's frame is being drawn anyway.
      const added = job.run(store, first ? FIRST_SLICE_MS : SLICE_MS);
      first = false;
      const more = job.pending(store);
      if (added > 0 || !more) setProgress((p) => p + 1);
      if (more) channel.port2.postMessage(null);
    };
    channel.port1.onmessage = step;
    channel.port2.postMessage(null);
    return () => {
      cancelled = true;
      channel.port1.close();
    };
  }, [job, store, version]);

  return useMemo(() => {
    void version; // stands for the store's contents
    void progress; // and for the search's
    return cache.compute(store, filter, job, onlyMatching);
  }, [cache, version, progress, filter, store, job, onlyMatching]);
}

/** The incremental state behind one viewer (one per store). */
class ViewCache {
  private filter: FilterCache | undefined;
  private shown: { key: string; list: AbsList; lastExamined: number } | undefined;

  compute(store: LogStore, filter: LogFilter, job: SearchJob, onlyMatching: boolean): LogView {
    const matcher = job.matcher;
    const all = showsAll(filter, store.names);
    let rows: Rows;
    if (all) {
      this.filter = undefined;
      rows = storeRows(store.first, store.count);
    } else {
      this.filter = refreshFilter(this.filter, store, filter);
      rows = listRows(this.filter.rows);
    }
    // The matches that are shown: the search's hits through the same filter.
    const key = `${job.key}\n${filterKey(filter)}`;
    let s = this.shown;
    if (!s || s.key !== key) s = { key, list: new AbsList(), lastExamined: -1 };
    s.list.trimBelow(store.first);
    const hits = job.matches;
    const keep = linePredicate(filter, store.names);
    for (let k = hits.lowerBound(s.lastExamined + 1); k < hits.length; k++) {
      const abs = hits.at(k);
      if (all) s.list.push(abs);
      else {
        const [c, i] = store.locate(abs);
        if (keep(c.container[i]!, c.flags[i]!)) s.list.push(abs);
      }
    }
    if (hits.length > 0) s.lastExamined = hits.at(hits.length - 1);
    this.shown = s;
    const list = s.list;
    const matches = { length: list.length, at: (k: number) => list.at(k) };
    if (onlyMatching && matcher.ok && !matcher.empty) rows = listRows(list);
    return { rows, matcher, matches, searching: job.pending(store) };
  }
}
