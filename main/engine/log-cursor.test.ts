import { expect, test } from 'vitest';
import { advanceCursor, boundaryFilter, sinceOf } from './log-cursor.js';

test('the cursor keeps the newest time and how many lines carry it', () => {
  let c = advanceCursor(undefined, '2026-01-01T00:00:01.5Z');
  c = advanceCursor(c, '2026-01-01T00:00:01.500000000Z');
  expect(c).toEqual({ time: '2026-01-01T00:00:01.500000000Z', count: 2 });
  expect(advanceCursor(c, '2026-01-01T00:00:01.4Z')).toBe(c);
  expect(advanceCursor(c, '2026-01-01T00:00:02Z')).toEqual({
    time: '2026-01-01T00:00:02.000000000Z',
    count: 1,
  });
});

test('since keeps all nine fraction digits', () => {
  expect(sinceOf({ time: '2026-01-01T00:00:01.000000007Z', count: 1 })).toBe('1767225601.000000007');
  expect(sinceOf(undefined)).toBeUndefined();
  expect(sinceOf({ time: 'garbage', count: 1 })).toBeUndefined();
});

test('a re-read drops what is older and exactly the stored lines at the boundary time', () => {
  const fresh = boundaryFilter({ time: '2026-01-01T00:00:01.500000000Z', count: 2 });
  const got = [
    '2026-01-01T00:00:01.4Z',
    '2026-01-01T00:00:01.5Z',
    '2026-01-01T00:00:01.5Z',
    '2026-01-01T00:00:01.5Z', // the third line at that time was not stored yet
    '2026-01-01T00:00:01.6Z',
    '2026-01-01T00:00:01.55Z', // after the boundary, order is Docker's: kept
  ].map(fresh);
  expect(got).toEqual([false, false, false, true, true, true]);
  expect(['x', 'y'].map(boundaryFilter(undefined))).toEqual([true, true]);
});
