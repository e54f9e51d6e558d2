import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { loadOrCreateSecret, securePrivateTree } from './private-files.js';
import { TaskStore } from './task-store.js';
import { writeJsonFile } from '../services/json-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskdeck-private-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const mode = async (p: string) => (await stat(p)).mode & 0o777;

test('everything Taskdeck writes is created 0700 / 0600, even under a permissive umask', async () => {
  const old = process.umask(0o000);
  try {
    const data = join(dir, 'data');
    const store = new TaskStore(data);
    await store.init();
    await store.createTask('t1');
    await store.saveRecord('t1', { v: 1 });
    store.appendEvent('t1', {} as never);
    await store.appendLogs('t1', [
      { taskId: 't1', seq: 1, container: 'a', stream: 'stdout', time: 'x', text: 'y' },
    ]);
    await store.saveState({ pulledOnce: [] });
    await writeJsonFile(join(data, 'definitions', 'def-1.json'), { id: 'def-1' });
    await loadOrCreateSecret(join(data, 'endpoint-key'));
    await store.close();
    for (const d of [
      data,
      join(data, 'tasks'),
      join(data, 'tasks', 't1'),
      join(data, 'tasks', 't1', 'logs'),
      join(data, 'definitions'),
    ])
      expect([d, await mode(d)]).toEqual([d, 0o700]);
    for (const f of [
      'tasks/t1/record.json',
      'tasks/t1/events.ndjson',
      'tasks/t1/logs/a.ndjson',
      'state.json',
      'definitions/def-1.json',
      'endpoint-key',
    ])
      expect([f, await mode(join(data, f))]).toEqual([f, 0o600]);
  } finally {
    process.umask(old);
  }
});

test('a looser data dir is tightened with a notice; unrelated files in a shared folder are left alone', async () => {
  await mkdir(join(dir, 'tasks', 't1'), { recursive: true });
  await writeFile(join(dir, 'tasks', 't1', 'record.json'), '{}');
  await writeFile(join(dir, 'settings.json'), '{}');
  await writeFile(join(dir, 'not-ours.txt'), 'x');
  await chmod(dir, 0o755);
  await chmod(join(dir, 'tasks'), 0o755);
  await chmod(join(dir, 'tasks', 't1'), 0o775);
  await chmod(join(dir, 'tasks', 't1', 'record.json'), 0o644);
  await chmod(join(dir, 'settings.json'), 0o664);
  await chmod(join(dir, 'not-ours.txt'), 0o644);
  const notice = await securePrivateTree(dir);
  expect(notice).toBe(
    `${dir} was readable by other local users: tightened 3 folder(s) to 0700 and 2 file(s) to 0600`,
  );
  expect(await mode(dir)).toBe(0o700);
  expect(await mode(join(dir, 'tasks', 't1'))).toBe(0o700);
  expect(await mode(join(dir, 'tasks', 't1', 'record.json'))).toBe(0o600);
  expect(await mode(join(dir, 'settings.json'))).toBe(0o600);
  expect(await mode(join(dir, 'not-ours.txt'))).toBe(0o644);
  expect(await securePrivateTree(dir)).toBeUndefined();
  expect(await securePrivateTree(join(dir, 'missing'))).toBeUndefined();
});

test('the endpoint key is created once and then reused', async () => {
  const a = await loadOrCreateSecret(join(dir, 'endpoint-key'));
  const b = await loadOrCreateSecret(join(dir, 'endpoint-key'));
  expect(a.length).toBe(32);
  expect(b.equals(a)).toBe(true);
});
