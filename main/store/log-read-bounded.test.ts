/**
 * Issue 11 (14): a log read costs what it asks for. `limit: 100` of a 500 000-line log reads the
 * file's tail backwards, not the whole file; the resume position (re-adoption) reads only tails too.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { LogLine } from '../../contract/dto.js';
import { TaskStore } from './task-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskdeck-logread-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 0, 1);
const line = (seq: number, container = 'app'): LogLine => ({
  taskId: 't1',
  seq,
  container,
  stream: 'stdout',
  // Ten lines share each millisecond: the resume position must count them.
  time: new Date(T0 + Math.floor(seq / 10)).toISOString(),
  text: `line ${seq} ${'x'.repeat(60)}`,
});

const LINES = 500_000;

test('limit 100 of a 500 000-line log parses and reads only the tail', async () => {
  const store = new TaskStore(dir, 1024 * 1024 * 1024);
  await store.init();
  await store.createTask('t1');
  for (let i = 0; i < LINES; i += 10_000)
    await store.appendLogs(
      't1',
      Array.from({ length: 10_000 }, (_, j) => line(i + j + 1)),
    );
  await store.appendLogs('t1', [line(LINES + 1, 'db')]);
  await store.flush('t1');

  const parse = vi.spyOn(JSON, 'parse');
  const heapBefore = process.memoryUsage().heapUsed;
  const last = await store.readLogs('t1', { limit: 100 });
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  expect(last.map((l) => l.seq)).toEqual(Array.from({ length: 100 }, (_, i) => LINES - 98 + i));
  expect(last.at(-1)?.container).toBe('db');
  // The whole file is ~45 MB and 500 000 rows; a tail read touches a few chunks.
  expect(parse.mock.calls.length).toBeLessThan(5_000);
  expect(heapGrowth).toBeLessThan(20 * 1024 * 1024);

  parse.mockClear();
  const app = await store.readLogs('t1', { container: 'app', afterSeq: LINES - 5 });
  expect(app.map((l) => l.seq)).toEqual([LINES - 4, LINES - 3, LINES - 2, LINES - 1, LINES]);
  expect(parse.mock.calls.length).toBeLessThan(5_000);

  parse.mockClear();
  const tail = await store.logTail('t1');
  expect(tail.lastSeq).toBe(LINES + 1);
  // app's last line (500 000) is alone in its millisecond; db's one line shares it.
  expect(tail.containers.app).toEqual({ time: '2026-01-01T00:00:50.000000000Z', count: 1 });
  expect(tail.containers.db).toEqual({ time: '2026-01-01T00:00:50.000000000Z', count: 1 });
  expect(parse.mock.calls.length).toBeLessThan(5_000);
  await store.close();
}, 120_000);

test('the resume position counts every stored line at the last time and survives a restart', async () => {
  const store = new TaskStore(dir);
  await store.init();
  await store.createTask('t1');
  await store.appendLogs(
    't1',
    Array.from({ length: 25 }, (_, i) => line(i + 1)),
  );
  const tail = await store.logTail('t1');
  // seq 20–25 → millisecond 2 (six lines).
  expect(tail).toEqual({
    lastSeq: 25,
    containers: { app: { time: '2026-01-01T00:00:00.002000000Z', count: 6 } },
  });
  await store.close();
  // A restart reads the same position from disk.
  const again = new TaskStore(dir);
  expect(await again.logTail('t1')).toEqual(tail);
  expect((await again.readLogs('t1', { limit: 3 })).map((l) => l.seq)).toEqual([23, 24, 25]);
  await again.close();
});
