/**
 * Issue 11 (4, 7): Docker going away and coming back, on a private dockerd this file starts and
 * removes itself (never the shared daemon). A stop sent during the outage is retried until Docker
 * confirms it; a cleanup that failed is retried after reconnect until Docker has nothing left.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { NO_LAUNCH_HOOKS, type LaunchHooks } from './launch-hooks.js';
import { createTaskEngine } from './task-engine.js';
import type { TaskEngineApi } from './engine-api.js';
import { LABEL_TASK_ID } from './labels.js';
import {
  byName,
  container,
  FOREVER,
  leftovers,
  NOTHING_LEFT,
  sh,
  taskDef,
  TEST_IMAGE,
  waitFor,
} from '../test-support/engine-fixture.js';
import { startSecondDockerd, type SecondDockerd } from '../test-support/second-dockerd.js';

let d: SecondDockerd;
let dataDir: string;
const engines: TaskEngineApi[] = [];

beforeAll(async () => {
  d = await startSecondDockerd();
  dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-outage-'));
}, 180_000);
afterAll(async () => {
  for (const e of engines) await e.close().catch(() => {});
  await d?.destroy();
  await rm(dataDir, { recursive: true, force: true });
}, 180_000);

// A test that failed half-way may have left the daemon stopped.
beforeEach(async () => d.start());

/** `p`, or a rejection naming `what` after `ms` (generous: Docker is back within seconds). */
function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(what)), ms);
    }),
  ]);
}

async function engineWith(hooks: LaunchHooks = NO_LAUNCH_HOOKS): Promise<TaskEngineApi> {
  const e = await createTaskEngine({ docker: d.docker, dataDir, pauseImage: TEST_IMAGE, hooks });
  engines.push(e);
  return e;
}

/** Resolves when the daemon reports (or has reported, since `since`) the removal of network `id`. */
async function networkDestroyed(docker: Docker, id: string, since: number): Promise<void> {
  const stream = (await docker.getEvents({
    since,
    filters: JSON.stringify({ type: ['network'], event: ['destroy'] }),
  } as never)) as unknown as NodeJS.ReadableStream & { destroy(): void };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`network ${id} was never removed`)), 90_000);
      stream.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          if ((JSON.parse(line) as { Actor: { ID: string } }).Actor.ID === id) {
            clearTimeout(timer);
            resolve();
          }
        }
      });
    });
  } finally {
    stream.destroy();
  }
}

test('StopTask during a Docker outage: the stop is retried and the task is STOPPED once Docker is back, nothing left', async () => {
  const engine = await engineWith();
  const t = await engine.runTask({
    taskDefinition: taskDef('outage-stop', [container('app', sh(FOREVER))]),
  });
  await waitFor(engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
  await d.stop();
  await engine.stopTask(t.taskId, 'stopped during the outage');
  // The outage lasts a few seconds: the first stop fails (Docker's socket is gone), a retry too.
  await new Promise((r) => setTimeout(r, 3000));
  expect(engine.describeTask(t.taskId)?.lastStatus).toBe('STOPPING');
  await d.start();
  const done = await within(60_000, engine.waitForStopped(t.taskId), 'the task never reached STOPPED');
  // The failed attempt is on record, next to the stop that worked.
  expect(byName(done, 'app').phases.some((p) => p.detail?.startsWith('stop failed, will retry'))).toBe(true);
  expect(done.stopCode).toBe('UserInitiated');
  expect(done.stoppedReason).toBe('stopped during the outage');
  expect(byName(done, 'app').exitCode).toBe(143);
  expect(await leftovers(d.docker, t.taskId)).toEqual(NOTHING_LEFT);
});

test('a cleanup that failed during an outage is retried after reconnect until Docker has nothing left', async () => {
  // The endpoint disposal runs just before the task's Docker objects are removed: take Docker
  // away right there, so the removal itself meets the outage.
  const hooks: LaunchHooks = {
    ...NO_LAUNCH_HOOKS,
    async prepare(task, detail, id, o) {
      const p = await NO_LAUNCH_HOOKS.prepare(task, detail, id, o);
      return {
        ...p,
        dispose: async () => {
          const [net] = await d.docker.listNetworks({
            filters: { label: [`${LABEL_TASK_ID}=${task.taskId}`] },
          });
          networkId = net?.Id;
          await d.stop();
        },
      };
    },
  };
  let networkId: string | undefined;
  const engine = await engineWith(hooks);
  const t = await engine.runTask({
    taskDefinition: taskDef('outage-cleanup', [container('app', sh('exit 0'))], { networkMode: 'awsvpc' }),
  });
  const done = await engine.waitForStopped(t.taskId);
  expect(done.stopCode).toBe('EssentialContainerExited');
  // Stopped while Docker was away: its network and pause container were left behind.
  expect(networkId).toBeDefined();
  const since = Math.floor(Date.now() / 1000) - 1;
  await d.start();
  await networkDestroyed(d.docker, networkId!, since);
  expect(await leftovers(d.docker, t.taskId)).toEqual(NOTHING_LEFT);
});
