import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createTaskEngine } from '../engine/task-engine.js';
import { createDockerSession } from '../services/docker-session.js';
import { DataDirError } from './data-dir-error.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskdeck-datadir-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

test('an unusable data dir fails the engine start with an error naming the data dir', async () => {
  const notAFolder = join(dir, 'data');
  await writeFile(notAFolder, 'a file where the data dir should be');
  // Never reached: the data dir is checked before Docker is.
  const docker = new Docker({ socketPath: join(dir, 'no-docker.sock') });
  const start = createTaskEngine({ docker, dataDir: notAFolder });
  await expect(start).rejects.toBeInstanceOf(DataDirError);
  await expect(start).rejects.toThrow(`cannot use the data dir ${notAFolder}: `);
});

test('the app status blames the data dir, not Docker, when that is what failed', async () => {
  const session = createDockerSession<object>({
    connect: () =>
      Promise.resolve({ docker: {}, endpoint: 'unix:///var/run/docker.sock', source: 'default' }),
    createEngine: () =>
      Promise.reject(new DataDirError('/home/me/.taskdeck', new Error('EACCES: permission denied'))),
    settings: () => ({}) as never,
    onStatus: () => {},
    onEngine: () => {},
  });
  const status = await session.retry();
  expect(status.connected).toBe(false);
  expect(status.error).toBe(
    'The task engine could not start: cannot use the data dir /home/me/.taskdeck: EACCES: permission denied',
  );
  expect(status.error).not.toContain('Docker answered');
  expect(status.hint).toContain('data dir');
});
