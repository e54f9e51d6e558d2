import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../../contract/dto.js';
import { LogStore } from './log-store.js';

const line = (seq: number, text = `l${seq}`): LogLine => ({
  taskId: 't',
  container: 'c',
  stream: 'stdout',
  time: '2025-01-01T00:00:00Z',
  text,
  seq,
});

describe('LogStore', () => {
  it.each([
    { name: 'history then live', history: [1, 2], live: [3], expected: [1, 2, 3] },
    {
      name: 'live before history is held and de-duplicated',
      history: [1, 2, 3],
      live: [3, 4],
      expected: [1, 2, 3, 4],
    },
    { name: 'live only newer than history', history: [5], live: [2, 6], expected: [5, 6] },
  ])('$name', ({ history, live, expected }) => {
    const store = new LogStore();
    store.append(live.map((s) => line(s)));
    expect(store.lines).toHaveLength(0);
    store.loadHistory(history.map((s) => line(s)));
    expect(store.lines.map((l) => l.seq)).toEqual(expected);
  });

  it('keeps escape-free text for search', () => {
    const store = new LogStore();
    store.loadHistory([line(1, '\x1b[31mred\x1b[0m')]);
    expect(store.plain).toEqual(['red']);
  });
});
