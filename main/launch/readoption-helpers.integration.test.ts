/**
 * Issue 11 (11): an engine that ended without disposing its task endpoints (crash, kill) leaves
 * the task's 169.254.170.2 proxy behind; the next engine re-adopts the task with exactly one proxy,
 * and that one answers. Real Docker, real endpoint server and helpers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createTaskEngine } from '../engine/task-engine.js';
import type { TaskEngineApi } from '../engine/engine-api.js';
import { createTaskEndpoints, type TaskEndpoints } from '../endpoints/task-endpoints.js';
import { loadOrCreateSecret } from '../store/private-files.js';
import {
  byName,
  container,
  leftovers,
  NOTHING_LEFT,
  sh,
  taskDef,
  TEST_IMAGE,
  waitFor,
} from '../test-support/engine-fixture.js';
import { createEngineRuntime, type EngineRuntime } from './create-engine-runtime.js';
import { createLaunchHooks } from './create-launch-hooks.js';

const docker = new Docker();
let dataDir: string;
let crashedEndpoints: TaskEndpoints | undefined;
let crashed: TaskEngineApi | undefined;
let next: EngineRuntime | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-readopt-'));
});
afterAll(async () => {
  await next?.engine.stopAll('teardown');
  await next?.close();
  await crashedEndpoints?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The task's endpoint proxies (running or not). */
async function proxiesOf(taskId: string) {
  return docker.listContainers({
    all: true,
    filters: {
      label: [
        `com.taskdeck.task-id=${taskId}`,
        'com.taskdeck.role=endpoint-helper',
        'com.taskdeck.helper-kind=proxy',
      ],
    },
  });
}

async function execIn(id: string, script: string): Promise<string> {
  const exec = await docker.getContainer(id).exec({
    Cmd: ['sh', '-c', script],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({});
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  docker.modem.demuxStream(stream, out, new PassThrough());
  await new Promise((r) => stream.on('end', r));
  return text;
}

test('awsvpc: after an engine that never disposed its endpoints, re-adoption leaves exactly one proxy, and it answers', async () => {
  // The first engine, wired like createEngineRuntime but with a close that skips the endpoints'
  // disposal: what a crashed or killed process leaves behind.
  crashedEndpoints = await createTaskEndpoints({
    docker,
    // The same key file the next engine's runtime reads: re-adopted tasks keep their ids.
    idKey: await loadOrCreateSecret(join(dataDir, 'endpoint-key')),
    helperImage: TEST_IMAGE,
  });
  const hooks = createLaunchHooks({ docker, endpoints: crashedEndpoints });
  crashed = await createTaskEngine({
    docker,
    dataDir,
    pauseImage: TEST_IMAGE,
    hooks: { ...hooks, close: async () => {} },
  });
  const t = await crashed.runTask({
    taskDefinition: taskDef(
      'readopt-one-proxy',
      [container('app', sh('trap "exit 0" TERM; while true; do sleep 0.2; done'))],
      {
        networkMode: 'awsvpc',
      },
    ),
  });
  const running = await waitFor(crashed, t.taskId, (x) => x.lastStatus === 'RUNNING');
  const appId = byName(running, 'app').runtimeId!;
  expect(await proxiesOf(t.taskId)).toHaveLength(1);
  await crashed.close();
  expect(await proxiesOf(t.taskId)).toHaveLength(1);

  next = await createEngineRuntime({ docker, dataDir, helperImage: TEST_IMAGE });
  expect(next.engine.describeTask(t.taskId)?.lastStatus).toBe('RUNNING');
  const proxies = await proxiesOf(t.taskId);
  expect(proxies).toHaveLength(1);
  expect(proxies[0]!.State).toBe('running');
  // The one left is the new engine's: the metadata endpoint answers through it.
  const meta = await execIn(
    appId,
    'for i in $(seq 1 30); do wget -qO- $ECS_CONTAINER_METADATA_URI_V4 > /tmp/m 2>/dev/null && break; sleep 0.2; done; cat /tmp/m',
  );
  expect(JSON.parse(meta).Name).toBe('app');

  await next.engine.stopTask(t.taskId);
  await next.engine.waitForStopped(t.taskId);
  expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
});
