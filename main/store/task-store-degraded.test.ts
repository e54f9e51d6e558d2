/**
 * Writes the file system refuses (here: the task's folder is blocked by a file, ENOTDIR/EEXIST)
 * make the store degraded, never throw out of background work, keep the newest record and every
 * event in memory, and land on disk once writes work again.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import type { LogLine, TaskStateChangeEvent } from '../../contract/dto.js';
import { TaskStore } from './task-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskdeck-store-degraded-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const event = (n: number) =>
  ({ id: `e${n}`, detail: { lastStatus: n > 1 ? 'STOPPED' : 'RUNNING' } }) as unknown as TaskStateChangeEvent;
const line = (seq: number): LogLine => ({
  taskId: 't1',
  seq,
  container: 'app',
  stream: 'stdout',
  time: new Date(1_700_000_000_000 + seq).toISOString(),
  text: `line ${seq}`,
});

test('refused writes degrade the store; records and events are kept and saved once writes work again', async () => {
  const store = new TaskStore(dir, 1024 * 1024, 20);
  await store.init();
  const blocker = join(dir, 'tasks', 't1');
  await writeFile(blocker, 'not a folder');

  await store.createTask('t1');
  expect(store.health.state()).toMatchObject({ ok: false });
  await expect(store.saveRecord('t1', { lastStatus: 'RUNNING' })).rejects.toThrow();
  await expect(store.appendLogs('t1', [line(1)])).rejects.toThrow();
  store.appendEvent('t1', event(1));
  store.appendEvent('t1', event(2));
  void store.saveRecord('t1', { lastStatus: 'STOPPED' }).catch(() => {});
  expect(store.health.state()).toMatchObject({
    ok: false,
    message: expect.stringMatching(/^cannot save task history: /),
  });
  // Unsaved events are still part of the history.
  expect((await store.readEvents('t1')).map((e) => e.id)).toEqual(['e1', 'e2']);

  await rm(blocker);
  await vi.waitFor(() => expect(store.health.state()).toEqual({ ok: true }), { timeout: 10_000 });
  const taskDir = join(dir, 'tasks', 't1');
  expect(JSON.parse(await readFile(join(taskDir, 'record.json'), 'utf8'))).toEqual({ lastStatus: 'STOPPED' });
  expect((await store.readEvents('t1')).map((e) => e.id)).toEqual(['e1', 'e2']);
  await store.appendLogs('t1', [line(2)]);
  expect((await store.readLogs('t1')).map((l) => l.seq)).toEqual([2]);
  await store.close();
});
