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

test('a read returns exactly the batches appended before it: never one half written (no hole below its highest seq)', async () => {
  const store = new TaskStore(dir);
  await store.init();
  await store.createTask('t1');
  let seq = 0;
  for (let round = 0; round < 40; round++) {
    // Read first, then append a batch spanning two containers while the read is in flight.
    const appendedBefore = seq;
    const reading = store.readLogs('t1');
    const batch = Array.from({ length: 40 }, (_, i) => line(++seq, i % 2 ? 'side' : 'app'));
    const appending = store.appendLogs('t1', batch);
    const seqs = (await reading).map((l) => l.seq);
    await appending;
    expect(seqs, `round ${round}`).toEqual(Array.from({ length: appendedBefore }, (_, i) => i + 1));
  }
  await store.close();
});

async function diskBytes(container: string): Promise<number> {
  const logDir = join(dir, 'tasks', 't1', 'logs');
  let total = 0;
  for (const f of await readdir(logDir))
    if (f.startsWith(`${container}.`) && f.endsWith('.ndjson')) total += (await stat(join(logDir, f))).size;
  return total;
}

test('logs are capped per container on disk: the oldest are dropped, a marker says how many', async () => {
  const cap = 64 * 1024;
  const store = new TaskStore(dir, cap);
  await store.init();
  await store.createTask('t1');
  // A chatty app (2000 lines ≈ 260 KB) next to a quiet db: only the app loses lines.
  for (let i = 0; i < 100; i++) {
    await store.appendLogs(
      't1',
      Array.from({ length: 20 }, (_, j) => line(i * 20 + j + 1)),
    );
    if (i % 10 === 0) await store.appendLogs('t1', [line(10_000 + i, 'db')]);
  }
  await store.flush('t1');
  expect(await diskBytes('app')).toBeLessThanOrEqual(cap);
  expect(await store.logDiskBytes('t1')).toEqual({ app: await diskBytes('app'), db: await diskBytes('db') });
  const all = await store.readLogs('t1');
  const app = all.filter((l) => l.container === 'app' && l.dropped === undefined);
  expect(app.at(-1)?.seq).toBe(2000);
  expect(app.length).toBeLessThan(2000);
  expect(app.map((l) => l.seq)).toEqual(app.map((_, i) => app[0]!.seq + i)); // contiguous
  expect(all.filter((l) => l.container === 'db')).toHaveLength(10); // the quiet one keeps everything
  // The marker stands where the dropped lines were: right before the first kept app line.
  const marker = all.find((l) => l.dropped !== undefined)!;
  expect(marker).toMatchObject({ container: 'app', dropped: app[0]!.seq - 1, seq: app[0]!.seq - 1 });
  expect(marker.text).toContain(`${(app[0]!.seq - 1).toLocaleString('en-US')} older lines of app dropped`);
  expect(marker.text).toContain('0.1 MB');
  const appOnly = await store.readLogs('t1', { container: 'db' });
  expect(appOnly.some((l) => l.dropped !== undefined)).toBe(false);
  await store.close();

  // After a restart the count carries on from what is on disk.
  const again = new TaskStore(dir, cap);
  await again.appendLogs(
    't1',
    Array.from({ length: 400 }, (_, j) => line(2001 + j)),
  );
  const after = await again.readLogs('t1', { container: 'app' });
  const kept = after.filter((l) => l.dropped === undefined);
  expect(after[0]!.dropped).toBe(kept[0]!.seq - 1);
  expect(kept.at(-1)?.seq).toBe(2400);
  await again.close();
});

test('one batch bigger than the cap still leaves at most the cap on disk', async () => {
  const cap = 32 * 1024;
  const store = new TaskStore(dir, cap);
  await store.init();
  await store.createTask('t1');
  await store.appendLogs(
    't1',
    Array.from({ length: 2000 }, (_, j) => line(j + 1)),
  );
  await store.flush('t1');
  expect(await diskBytes('app')).toBeLessThanOrEqual(cap);
  const kept = (await store.readLogs('t1')).filter((l) => !l.dropped);
  expect(kept.at(-1)?.seq).toBe(2000);
  await store.close();
});

test('the cap is read at every append (a setting changes it live)', async () => {
  let cap = 1024 * 1024;
  const store = new TaskStore(dir, () => cap);
  await store.init();
  await store.createTask('t1');
  await store.appendLogs(
    't1',
    Array.from({ length: 500 }, (_, j) => line(j + 1)),
  );
  expect((await store.readLogs('t1')).some((l) => l.dropped)).toBe(false);
  cap = 16 * 1024;
  for (let i = 0; i < 10; i++)
    await store.appendLogs(
      't1',
      Array.from({ length: 50 }, (_, j) => line(501 + i * 50 + j)),
    );
  await store.flush('t1');
  expect(await diskBytes('app')).toBeLessThanOrEqual(cap);
  expect((await store.readLogs('t1')).some((l) => l.dropped)).toBe(true);
  await store.close();
});

test('logs written by an older version (one file per task) are still read', async () => {
  const store = new TaskStore(dir);
  await store.init();
  await store.createTask('t1');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(
    join(dir, 'tasks', 't1', 'logs.ndjson'),
    `${JSON.stringify({ q: 1, c: 'app', s: 'o', t: 't', x: 'old' })}\n`,
  );
  await store.appendLogs('t1', [line(2)]);
  expect((await store.readLogs('t1')).map((l) => l.seq)).toEqual([1, 2]);
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

test('a closed store writes nothing: a late callback of a closed engine cannot race the next owner of the data dir', async () => {
  const old = new TaskStore(dir);
  await old.init();
  await old.createTask('t1');
  await old.saveRecord('t1', { v: 1 });
  old.appendEvent('t1', { id: 'e1' } as never);
  await old.appendLogs('t1', [line(1)]);
  await old.close();
  const next = new TaskStore(dir);
  await next.init();
  await next.saveRecord('t1', { v: 2 });
  // The closed store's late writes: a record, an event, log lines, resource history.
  await old.saveRecord('t1', { v: 'stale' });
  await old.saveStats('t1', { stale: true });
  old.appendEvent('t1', { id: 'late' } as never);
  await old.appendLogs('t1', [line(2)]);
  await old.flush('t1');
  expect(await next.loadRecords<{ v: number }>()).toEqual([{ v: 2 }]);
  expect((await next.readEvents('t1')).map((e) => (e as unknown as { id: string }).id)).toEqual(['e1']);
  expect((await next.readLogs('t1')).map((l) => l.seq)).toEqual([1]);
  expect(await next.loadStats('t1')).toBeUndefined();
  await next.close();
});

test('engine state: saves at once coalesce (they would share the temp file), the newest lands, nothing fails', async () => {
  const store = new TaskStore(dir);
  await store.init();
  const failures: unknown[] = [];
  store.health.on('change', (s) => !s.ok && failures.push(s));
  await Promise.all([1, 2, 3, 4, 5].map((n) => store.saveState({ n })));
  expect(failures).toEqual([]);
  expect(await new TaskStore(dir).loadState({ n: 0 })).toEqual({ n: 5 });
  expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  await store.close();
});
