import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../../contract/dto.js';
import { packLogLines } from '../../../../contract/log-wire.js';
import { buildChunk, chunkPlain, chunkText, concatChunks, isoToMs, NameTable } from './log-chunk.js';
import { frameLines, LogIngest, MAX_CHUNK_LINES } from './log-ingest.js';
import { LogStore, MAX_VIEWER_LINES } from './log-store.js';

const line = (seq: number, text = `l${seq}`, container = 'c', taskId = 't'): LogLine => ({
  taskId,
  container,
  stream: seq % 3 === 0 ? 'stderr' : 'stdout',
  time: '2025-01-01T00:00:00.123456789Z',
  text,
  seq,
});

const seqs = (store: LogStore) => {
  const out: number[] = [];
  for (let a = store.first; a < store.end; a++) out.push(store.line(a).seq);
  return out;
};

describe('LogIngest', () => {
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
    const ingest = new LogIngest('t');
    const store = new LogStore();
    expect(ingest.live(live.map((s) => line(s)))).toEqual([]);
    for (const c of ingest.history(history.map((s) => line(s)))) store.add(c);
    expect(seqs(store)).toEqual(expected);
  });

  it('parses a WebSocket frame and keeps only its own task', () => {
    const ingest = new LogIngest('t');
    ingest.history([]);
    const frame = JSON.stringify({ topic: 'logs:lines', payload: [line(1), line(2, 'x', 'c', 'other')] });
    const chunks = ingest.live(frame);
    expect(chunks.map((c) => c.count)).toEqual([1]);
    expect(frameLines('{"topic":"tasks:changed","payload":{}}', 't1')).toEqual([]);
  });

  it("reads a packed frame as its task's lines", () => {
    const ingest = new LogIngest('t');
    ingest.history([]);
    const chunks = ingest.live(packLogLines([line(1), line(2, 'x', 'c', 't')]));
    expect(chunks.map((c) => c.count)).toEqual([2]);
    expect(frameLines(packLogLines([line(3)]), 't')).toEqual([line(3)]);
  });

  it('after a resync, holds live lines until the re-fetched gap arrives, then merges in order', () => {
    const ingest = new LogIngest('t');
    const store = new LogStore();
    for (const c of ingest.history([line(1), line(2)])) store.add(c);
    // Pushes 3–5 were dropped by the server; the resync re-fetches after 2 while 6 arrives live.
    ingest.hold();
    expect(ingest.live([line(6)])).toEqual([]);
    for (const c of ingest.history([3, 4, 5, 6].map((s) => line(s)))) store.add(c);
    for (const c of ingest.live([line(7)])) store.add(c);
    expect(seqs(store)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('cuts a long history into bounded chunks', () => {
    const ingest = new LogIngest('t');
    const chunks = ingest.history(Array.from({ length: MAX_CHUNK_LINES + 5 }, (_, i) => line(i + 1)));
    expect(chunks.map((c) => c.count)).toEqual([MAX_CHUNK_LINES, 5]);
  });
});

describe('log chunks', () => {
  it('keep text, escape-free text, time, container and stream per line', () => {
    const names = new NameTable();
    const c = buildChunk([line(1, 'plain'), line(3, '\x1b[31mred\x1b[0m', 'db'), line(4, '')], names);
    expect([0, 1, 2].map((i) => chunkText(c, i))).toEqual(['plain', '\x1b[31mred\x1b[0m', '']);
    expect([0, 1, 2].map((i) => chunkPlain(c, i))).toEqual(['plain', 'red', '']);
    expect(Array.from(c.container)).toEqual([0, 1, 0]);
    expect(c.names).toEqual(['c', 'db']);
    expect(Array.from(c.flags)).toEqual([0, 1, 0]);
    expect(c.time[0]).toBe(Date.parse('2025-01-01T00:00:00.123Z') + 0.456);
  });

  it('concatenate (with and without escapes)', () => {
    const names = new NameTable();
    const a = buildChunk([line(1, 'a1'), line(2, 'a2')], names);
    const b = buildChunk([line(4, '\x1b[1mb\x1b[0m')], names);
    const ab = concatChunks(a, b);
    expect([0, 1, 2].map((i) => chunkPlain(ab, i))).toEqual(['a1', 'a2', 'b']);
    expect([0, 1, 2].map((i) => chunkText(ab, i))).toEqual(['a1', 'a2', '\x1b[1mb\x1b[0m']);
    expect(Array.from(ab.seq)).toEqual([1, 2, 4]);
  });

  it('isoToMs reads Docker nanosecond times and rejects junk', () => {
    expect(isoToMs('2025-01-01T00:00:01.5Z')).toBe(Date.parse('2025-01-01T00:00:01.500Z'));
    expect(isoToMs('nope')).toBeNaN();
  });
});

describe('LogStore', () => {
  it('merges small chunks and addresses lines by a stable absolute number', () => {
    const names = new NameTable();
    const store = new LogStore();
    store.add(buildChunk([line(1), line(2)], names));
    store.add(buildChunk([line(3)], names));
    expect(seqs(store)).toEqual([1, 2, 3]);
    expect(store.line(2)).toMatchObject({ abs: 2, seq: 3, stderr: true, container: 'c', plain: 'l3' });
  });

  it('drops whole chunks from the front beyond the cap, keeping numbers stable', () => {
    const names = new NameTable();
    const store = new LogStore(10_000);
    const big = 5000;
    for (let k = 0; k < 4; k++)
      store.add(
        buildChunk(
          Array.from({ length: big }, (_, i) => line(k * big + i + 1, 'x')),
          names,
        ),
      );
    expect(store.count).toBeLessThanOrEqual(10_000 + big);
    expect(MAX_VIEWER_LINES * 20).toBeLessThan(33_000_000); // rows of 20 px within Chromium's limit
    expect(store.first).toBe(2 * big);
    expect(store.line(store.first).seq).toBe(2 * big + 1);
    expect(store.line(store.end - 1).seq).toBe(4 * big);
  });

  it('finds the first line at or after a time', () => {
    const names = new NameTable();
    const store = new LogStore();
    const at = (seq: number, ms: number): LogLine => ({ ...line(seq), time: new Date(ms).toISOString() });
    store.add(buildChunk([at(1, 1000), at(2, 2000), at(3, 3000)], names));
    expect(store.firstAtOrAfter(1500)).toBe(1);
    expect(store.firstAtOrAfter(3500)).toBeUndefined();
  });
});
