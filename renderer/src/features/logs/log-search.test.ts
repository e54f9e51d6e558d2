import { describe, expect, it } from 'vitest';
import { buildMatcher, findMatches, stepMatch } from './log-search.js';

const lines = ['GET /health 200', 'error: db down', 'GET /api 500', 'Error again', 'a.b literal'];

describe('buildMatcher + findMatches', () => {
  it.each([
    { name: 'empty query matches nothing', q: '', regex: false, cs: false, matches: [] },
    { name: 'plain, case-insensitive', q: 'error', regex: false, cs: false, matches: [1, 3] },
    { name: 'plain, case-sensitive', q: 'error', regex: false, cs: true, matches: [1] },
    { name: 'plain treats regex characters literally', q: 'a.b', regex: false, cs: false, matches: [4] },
    { name: 'regex', q: '\\b[45]\\d\\d$', regex: true, cs: false, matches: [2] },
    { name: 'regex alternation', q: 'health|api', regex: true, cs: false, matches: [0, 2] },
  ])('$name', ({ q, regex, cs, matches }) => {
    const m = buildMatcher(q, { regex, caseSensitive: cs });
    expect(findMatches(lines.length, (i) => lines[i]!, m)).toEqual(matches);
  });

  it('reports an invalid regex instead of throwing', () => {
    const m = buildMatcher('(unclosed', { regex: true, caseSensitive: false });
    expect(m.ok).toBe(false);
    expect(!m.ok && m.error).toMatch(/Invalid regular expression/);
  });

  it.each([
    [
      'err',
      false,
      'error err ERR',
      [
        [0, 3],
        [6, 9],
        [10, 13],
      ],
    ],
    [
      '\\d+',
      true,
      'a 12 b 345',
      [
        [2, 4],
        [7, 10],
      ],
    ],
    ['x*', true, 'abc', []],
  ] as const)('ranges of %s in %s', (q, regex, text, expected) => {
    const m = buildMatcher(q, { regex, caseSensitive: false });
    expect(m.ok && m.ranges(text).map((r) => [r.start, r.end])).toEqual(expected);
  });
});

describe('stepMatch', () => {
  const matches = [3, 10, 42];
  it.each([
    { name: 'next from nothing starts at first match after `from`', cur: undefined, dir: 1, from: 5, out: 1 },
    { name: 'next from nothing past the end wraps to first', cur: undefined, dir: 1, from: 50, out: 0 },
    { name: 'previous from nothing is the last before `from`', cur: undefined, dir: -1, from: 40, out: 1 },
    { name: 'previous from nothing before all wraps to last', cur: undefined, dir: -1, from: 0, out: 2 },
    { name: 'next wraps', cur: 2, dir: 1, from: 0, out: 0 },
    { name: 'previous wraps', cur: 0, dir: -1, from: 0, out: 2 },
  ] as const)('$name', ({ cur, dir, from, out }) => expect(stepMatch(matches, cur, dir, from)).toBe(out));
  it('no matches → undefined', () => expect(stepMatch([], undefined, 1)).toBeUndefined());
});
