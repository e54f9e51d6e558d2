import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { LogLine } from '../../contract/dto.js';
import { TaskStore } from './task-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskdeck-store-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const line = (seq: number, container = 'app'): LogLine => ({
  taskId: 't1',
  seq,
  container,
  stream: seq % 2 ? 'stdout' : 'stderr',
  time: new Date(1_700_000_000_000 + seq).toISOString(),
  text: `line ${seq} ${'x'.repeat(80)}`,
});

test('logs round-trip in order, filter by container and seq, limit keeps the newest', async () => {
  const store = new TaskStore(dir);
  await store.init();
  await store.createTask('t1');
  // Not awaited before reading: readLogs must wait for queued appends itself.
  const appends = [store.appendLogs('t1', [line(1), line(2, 'db')]), store.appendLogs('t1', [line(3)])];
  const all = await store.readLogs('t1');
  await Promise.all(appends);
  expect(all.map((l) => l.seq)).toEqual([1, 2, 3]);
  expect(all[1]).toEqual(line(2, 'db'));
  expect((await store.readLogs('t1', { container: 'app' })).map((l) => l.seq)).toEqual([1, 3]);
  expect((await store.readLogs('t1', { afterSeq: 1 })).map((l) => l.seq)).toEqual([2, 3]);
  expect((await store.readLogs('t1', { limit: 2 })).map((l) => l.seq)).toEqual([2, 3]);
  await store.close();
});

test('logs are bounded on disk: rotation keeps at most the cap, newest lines survive', async () => {
  const cap = 64 * 1024;
  const store = new TaskStore(dir, cap);
  await store.init();
  await store.createTask('t1');
  for (let i = 0; i < 100; i++) {
    await store.appendLogs(
      't1',
      Array.from({ length: 20 }, (_, j) => line(i * 20 + j + 1)),
    );
  }
  await store.flush('t1');
  const files = await readdir(join(dir, 'tasks', 't1'));
  let total = 0;
  for (const f of files.filter((n) => n.startsWith('logs')))
    total += (await stat(join(dir, 'tasks', 't1', f))).size;
  expect(total).toBeLessThanOrEqual(cap + 4096);
  const kept = await store.readLogs('t1');
  expect(kept.at(-1)?.seq).toBe(2000);
  expect(kept.length).toBeLessThan(2000);
  expect(kept.map((l) => l.seq)).toEqual(kept.map((_, i) => kept[0]!.seq + i)); // contiguous
  await store.close();
});

test('records are written atomically and the newest write wins', async () => {
  const store = new TaskStore(dir);
  await store.init();
  await store.createTask('t1');
  const earlier = [store.saveRecord('t1', { v: 1 }), store.saveRecord('t1', { v: 2 })];
  await store.saveRecord('t1', { v: 3 });
  await Promise.all(earlier);
  await store.flush('t1');
  expect(await new TaskStore(dir).loadRecords<{ v: number }>()).toEqual([{ v: 3 }]);
});
