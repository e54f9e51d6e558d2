import { describe, expect, it } from 'vitest';
import { stripAnsi } from './ansi.js';
import { buildChunk, NameTable } from './log-chunk.js';
import { buildMatcher, findMatches, stepMatch } from './log-search.js';
import { LogStore } from './log-store.js';
import { SearchJob } from './search-job.js';

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

describe('scanChunk + SearchJob (search over joined chunk text)', () => {
  const text = [
    'GET /health 200',
    'error: db down',
    'GET /api 500',
    'Error again',
    'a.b literal',
    '\x1b[31merror\x1b[0m red',
  ];
  const storeOf = (texts: readonly string[], perChunk = 2) => {
    const names = new NameTable();
    const store = new LogStore();
    for (let i = 0; i < texts.length; i += perChunk)
      store.add(
        buildChunk(
          texts.slice(i, i + perChunk).map((t, j) => ({
            taskId: 't',
            container: 'c',
            stream: 'stdout' as const,
            time: '',
            text: t,
            seq: i + j,
          })),
          names,
        ),
      );
    return store;
  };

  it.each([
    { q: 'error', regex: false, cs: false, out: [1, 3, 5] },
    { q: 'error', regex: false, cs: true, out: [1, 5] },
    { q: '^GET', regex: true, cs: false, out: [0, 2] },
    { q: '00$', regex: true, cs: false, out: [0, 2] },
    // Would match across the joined "\n" without the per-line check.
    { q: 'down\\sGET', regex: true, cs: false, out: [] },
    { q: 'x*', regex: true, cs: false, out: [0, 1, 2, 3, 4, 5] },
  ])('$q (regex $regex, case $cs) → $out, same as line by line', ({ q, regex, cs, out }) => {
    const m = buildMatcher(q, { regex, caseSensitive: cs });
    const job = new SearchJob('k', m);
    const store = storeOf(text);
    while (job.pending(store)) job.run(store, 1000);
    expect(job.matches.toArray()).toEqual(out);
    const plain = text.map(stripAnsi);
    expect(findMatches(plain.length, (i) => plain[i]!, m)).toEqual(out);
  });

  it('yields when its time slice is used up, and carries on over new lines', () => {
    const store = storeOf(
      Array.from({ length: 50_000 }, (_, i) => `line ${i}`),
      10_000,
    );
    const job = new SearchJob('k', buildMatcher('line 4', { regex: false, caseSensitive: false }));
    let t = 0;
    job.run(store, 5, () => (t += 10)); // the clock says the slice is over after one step
    expect(job.scanned).toBeLessThan(store.end);
    expect(job.matches.at(0)).toBe(4);
    while (job.pending(store)) job.run(store, 1000);
    const count = job.matches.length;
    store.add(
      buildChunk(
        [{ taskId: 't', container: 'c', stream: 'stdout', time: '', text: 'line 4 again', seq: 99_999 }],
        new NameTable(),
      ),
    );
    expect(job.pending(store)).toBe(true);
    job.run(store, 1000);
    expect(job.matches.length).toBe(count + 1);
  });
});
