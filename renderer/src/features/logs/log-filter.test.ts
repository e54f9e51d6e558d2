import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../../contract/dto.js';
import { refreshFilter, type LogFilter } from './log-filter.js';

const mk = (container: string, stream: 'stdout' | 'stderr', seq: number): LogLine => ({
  taskId: 't',
  container,
  stream,
  time: '',
  text: '',
  seq,
});
const lines = [mk('a', 'stdout', 1), mk('b', 'stderr', 2), mk('a', 'stderr', 3), mk('b', 'stdout', 4)];

describe('refreshFilter', () => {
  it.each([
    { name: 'all', f: { containers: new Set(['a', 'b']), stream: 'all' }, out: [0, 1, 2, 3] },
    { name: 'one container', f: { containers: new Set(['a']), stream: 'all' }, out: [0, 2] },
    { name: 'stderr only', f: { containers: new Set(['a', 'b']), stream: 'stderr' }, out: [1, 2] },
    { name: 'nothing toggled on', f: { containers: new Set<string>(), stream: 'all' }, out: [] },
  ] as { name: string; f: LogFilter; out: number[] }[])('$name', ({ f, out }) => {
    expect(refreshFilter(undefined, lines, 0, f).indices).toEqual(out);
  });

  it('examines only new lines when the filter is unchanged, and rebuilds when it changes', () => {
    const f: LogFilter = { containers: new Set(['a', 'b']), stream: 'stdout' };
    const first = refreshFilter(undefined, lines.slice(0, 2), 0, f);
    expect(first.indices).toEqual([0]);
    const second = refreshFilter(first, lines, 0, f);
    expect(second).toBe(first);
    expect(second.indices).toEqual([0, 3]);
    const other = refreshFilter(second, lines, 0, { ...f, stream: 'stderr' });
    expect(other.indices).toEqual([1, 2]);
  });

  it('shifts indices when old lines are dropped', () => {
    const f: LogFilter = { containers: new Set(['a', 'b']), stream: 'all' };
    const c = refreshFilter(undefined, lines, 0, f);
    const after = refreshFilter(c, lines.slice(2), 2, f);
    expect(after.indices).toEqual([0, 1]);
  });
});
