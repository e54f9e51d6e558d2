import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../../contract/dto.js';
import { buildChunk, NameTable } from './log-chunk.js';
import { refreshFilter, showsAll, type LogFilter } from './log-filter.js';
import { LogStore } from './log-store.js';

const mk = (container: string, stream: 'stdout' | 'stderr', seq: number, dropped?: number): LogLine => ({
  taskId: 't',
  container,
  stream,
  time: '',
  text: '',
  seq,
  ...(dropped !== undefined ? { dropped } : {}),
});

const lines = [mk('a', 'stdout', 1), mk('b', 'stderr', 2), mk('a', 'stderr', 3), mk('b', 'stdout', 4)];

function storeOf(ls: readonly LogLine[]): LogStore {
  const store = new LogStore();
  store.add(buildChunk(ls, new NameTable()));
  return store;
}

describe('refreshFilter', () => {
  it.each([
    { name: 'all', f: { containers: new Set(['a', 'b']), stream: 'all' }, out: [0, 1, 2, 3] },
    { name: 'one container', f: { containers: new Set(['a']), stream: 'all' }, out: [0, 2] },
    { name: 'stderr only', f: { containers: new Set(['a', 'b']), stream: 'stderr' }, out: [1, 2] },
    { name: 'nothing toggled on', f: { containers: new Set<string>(), stream: 'all' }, out: [] },
  ] as { name: string; f: LogFilter; out: number[] }[])('$name', ({ f, out }) => {
    expect(refreshFilter(undefined, storeOf(lines), f).rows.toArray()).toEqual(out);
  });

  it('examines only new lines when the filter is unchanged, and rebuilds when it changes', () => {
    const names = new NameTable();
    const store = new LogStore();
    store.add(buildChunk(lines.slice(0, 2), names));
    const f: LogFilter = { containers: new Set(['a', 'b']), stream: 'stdout' };
    const first = refreshFilter(undefined, store, f);
    expect(first.rows.toArray()).toEqual([0]);
    store.add(buildChunk(lines.slice(2), names));
    const second = refreshFilter(first, store, f);
    expect(second).toBe(first);
    expect(second.rows.toArray()).toEqual([0, 3]);
    expect(refreshFilter(second, store, { ...f, stream: 'stderr' }).rows.toArray()).toEqual([1, 2]);
  });

  it('a dropped-lines marker shows with its container whatever the stream filter', () => {
    const store = storeOf([mk('a', 'stderr', 1, 10), mk('a', 'stdout', 11), mk('b', 'stdout', 12)]);
    const f: LogFilter = { containers: new Set(['a']), stream: 'stdout' };
    expect(refreshFilter(undefined, store, f).rows.toArray()).toEqual([0, 1]);
  });

  it('showsAll only when every container and both streams are shown', () => {
    expect(showsAll({ containers: new Set(['a', 'b']), stream: 'all' }, ['a', 'b'])).toBe(true);
    expect(showsAll({ containers: new Set(['a']), stream: 'all' }, ['a', 'b'])).toBe(false);
    expect(showsAll({ containers: new Set(['a', 'b']), stream: 'stdout' }, ['a', 'b'])).toBe(false);
  });
});
