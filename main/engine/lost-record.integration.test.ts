/**
 * A lost or damaged task record cannot orphan a running task: the record is kept aside and the
 * task is re-adopted from its containers' Docker labels, shown, and stopped as usual.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { dataWarnings } from '../store/data-warnings.js';
import {
  container,
  leftovers,
  NOTHING_LEFT,
  taskDef,
  TEST_IMAGE,
  waitFor,
} from '../test-support/engine-fixture.js';
import type { TaskEngineApi } from './engine-api.js';
import { currentProcess, ownerLabels } from './owner.js';
import { createTaskEngine } from './task-engine.js';

const docker = new Docker();
let dataDir: string;
const engines: TaskEngineApi[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-lost-record-'));
});
afterAll(async () => {
  for (const e of engines) {
    await e.stopAll('test teardown').catch(() => undefined);
    await e.close().catch(() => undefined);
  }
  // Whatever a failed run of this test left (only this test's family).
  const left = await docker.listContainers({
    all: true,
    filters: { label: ['com.amazonaws.ecs.task-definition-family=lost-record'] },
  });
  await Promise.all(
    left.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  await rm(dataDir, { recursive: true, force: true });
});

async function engine(): Promise<TaskEngineApi> {
  const e = await createTaskEngine({
    docker,
    dataDir,
    pauseImage: TEST_IMAGE,
    ownerLabels: ownerLabels(currentProcess(), 'app', dataDir),
  });
  engines.push(e);
  return e;
}

test('a running task whose record was damaged is re-adopted from its labels, then stops cleanly', async () => {
  const first = await engine();
  const t = await first.runTask({
    taskDefinition: taskDef('lost-record', [
      container('app', {
        command: ['sh', '-c', 'trap "echo bye; exit 0" TERM; echo up; while true; do sleep 0.2; done'],
      }),
      container('side', { command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.2; done'] }),
    ]),
    // As a service launches it: the re-adopted task must still belong to its service.
    group: 'service:lost-web',
    startedBy: 'ecs-svc/1234567890123456789',
  });
  await waitFor(first, t.taskId, (x) => x.lastStatus === 'RUNNING');
  await first.close();
  engines.splice(engines.indexOf(first), 1);
  const taskDir = join(dataDir, 'tasks', t.taskId);
  // As a full disk mid-write would leave it.
  await writeFile(join(taskDir, 'record.json'), '{"taskId":"' + t.taskId.slice(0, 9));

  const second = await engine();
  const adopted = second.describeTask(t.taskId);
  expect(adopted?.lastStatus).toBe('RUNNING');
  expect(adopted?.taskArn).toBe(t.taskArn);
  expect(adopted?.group).toBe('service:lost-web');
  expect(adopted?.startedBy).toBe('ecs-svc/1234567890123456789');
  expect(adopted?.containers.map((c) => [c.name, c.lastStatus]).sort()).toEqual([
    ['app', 'RUNNING'],
    ['side', 'RUNNING'],
  ]);
  expect((await readdir(taskDir)).some((n) => n.startsWith('record.json.corrupt-'))).toBe(true);
  expect(dataWarnings().some((w) => w.message.includes(`task ${t.taskId} had no readable record`))).toBe(
    true,
  );

  await second.stopTask(t.taskId, 'done');
  const done = await second.waitForStopped(t.taskId);
  expect(done.stopCode).toBe('UserInitiated');
  expect((await second.logs(t.taskId)).some((l) => l.text === 'bye')).toBe(true);
  expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
}, 180_000);

test('an engine that does not adopt (taskdeck run) leaves a recorded running task alone', async () => {
  const first = await engine();
  const t = await first.runTask({
    taskDefinition: taskDef('lost-record', [
      container('app', { command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.2; done'] }),
    ]),
  });
  await waitFor(first, t.taskId, (x) => x.lastStatus === 'RUNNING');
  await first.close();
  engines.splice(engines.indexOf(first), 1);

  const run = await createTaskEngine({ docker, dataDir, pauseImage: TEST_IMAGE, adopt: false });
  engines.push(run);
  expect(run.describeTask(t.taskId)).toBeUndefined();
  const [app] = await docker.listContainers({ filters: { label: [`com.taskdeck.task-id=${t.taskId}`] } });
  expect(app?.State).toBe('running');
  await run.close();
  engines.splice(engines.indexOf(run), 1);

  // The data dir's own app adopts it again and can stop it.
  const app2 = await engine();
  expect(app2.describeTask(t.taskId)?.lastStatus).toBe('RUNNING');
  await app2.stopTask(t.taskId, 'done');
  await app2.waitForStopped(t.taskId);
  expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
}, 180_000);
