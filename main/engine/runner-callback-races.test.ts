/**
 * Docker work whose answer lands after the task moved on — a resync's inspect, an adoption's
 * endpoint restore, a bridge container's endpoint attach. The answer comes back to the task's actor
 * as a message and is judged against the state it finds then; it never writes into a task that has
 * stopped meanwhile, and nothing it brings (endpoint material) is left behind. FakeDocker and
 * test hooks hold the call until the test releases it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { TaskDetail } from '../../contract/dto.js';
import { FakeDocker } from '../docker/fake-docker.js';
import { startFakeEngine, type FakeEngineHarness } from '../test-support/fake-engine.js';
import { container, taskDef, TEST_IMAGE } from '../test-support/task-def-builders.js';
import type { TaskEngineApi } from './engine-api.js';
import { NO_LAUNCH_HOOKS, type LaunchHooks } from './launch-hooks.js';
import { createTaskEngine } from './task-engine.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function harness(docker?: FakeDocker, hooks?: LaunchHooks): Promise<FakeEngineHarness> {
  const h = await startFakeEngine(docker, hooks ? { hooks } : {});
  cleanups.push(() => h.close());
  return h;
}

/** A few turns of the event loop: settled calls' handlers and stream data have run. */
async function turns(n = 10): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

const running = (id: string) => (t: TaskDetail) => t.taskId === id && t.lastStatus === 'RUNNING';

it('a resync inspect that answers after the task stopped leaves the stopped task as it is', async () => {
  const h = await harness();
  const task = await h.engine.runTask({ taskDefinition: taskDef('resync-late', [container('app')]) });
  await h.waitFor(running(task.taskId), 'RUNNING');
  const app = [...h.docker.containers.values()][0]!;
  // An outage; when the event stream is back, the task resyncs: its inspect is held.
  const disconnected = h.docker.whenCalled('getEvents');
  h.docker.disconnect();
  await disconnected;
  const held = h.docker.hold('inspect', { times: 1, target: app.name });
  const inspected = h.docker.whenCalled('inspect');
  h.docker.reconnect();
  await inspected;
  // Meanwhile the task is stopped, cleaned up, its container removed.
  await h.engine.stopTask(task.taskId);
  const stopped = await h.engine.waitForStopped(task.taskId);
  expect(h.docker.containers.size).toBe(0);
  // The resync's inspect answers now: 404, the container is gone — because the task removed it.
  held.release();
  await turns();
  const after = h.engine.describeTask(task.taskId)!;
  expect(after.containers[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 143 });
  expect(after.containers[0]?.reason).toBeUndefined();
  expect(after).toEqual(stopped);
});

it('an adoption whose endpoint restore answers after the task stopped releases the endpoints', async () => {
  const docker = new FakeDocker();
  const dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-fake-adopt-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const first = await createTaskEngine({ docker, dataDir, pauseImage: TEST_IMAGE });
  const task = await first.runTask({ taskDefinition: taskDef('adopt-late', [container('app')]) });
  await untilRunning(first, task.taskId);
  await first.close();

  // The next engine re-adopts the task; its endpoint restore is held.
  let prepares = 0;
  let disposes = 0;
  const restore = gate();
  const asked = gate();
  const hooks: LaunchHooks = {
    ...NO_LAUNCH_HOOKS,
    async prepare(t, detail, id, options) {
      const p = await NO_LAUNCH_HOOKS.prepare(t, detail, id, options);
      if (options?.adopting) {
        asked.open();
        await restore.promise;
      }
      prepares++;
      return { ...p, dispose: () => (disposes++, p.dispose()) };
    },
  };
  const starting = createTaskEngine({ docker, dataDir, pauseImage: TEST_IMAGE, hooks });
  await asked.promise;
  // While it is restored, the essential container exits: the task stops.
  const app = [...docker.containers.values()][0]!;
  docker.exit(app.id, 3);
  await turns();
  restore.open();
  const second = await starting;
  cleanups.push(() => second.close());
  const done = await second.waitForStopped(task.taskId);
  expect(done.stopCode).toBe('EssentialContainerExited');
  expect(done.containers[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 3 });
  await turns();
  // The endpoint ids restored for the adopted task are revoked with it, not left serving.
  expect({ prepares, disposes }).toEqual({ prepares: 1, disposes: 1 });
  expect(docker.containers.size).toBe(0);
});

it('a bridge endpoint attach that fails after the container stopped adds nothing to its history', async () => {
  const attach = gate();
  const hooks: LaunchHooks = {
    ...NO_LAUNCH_HOOKS,
    async prepare(t, detail, id, options) {
      const p = await NO_LAUNCH_HOOKS.prepare(t, detail, id, options);
      return {
        ...p,
        attach: async () => {
          await attach.promise;
          throw new Error('helper gone');
        },
      };
    },
  };
  const h = await harness(undefined, hooks);
  const task = await h.engine.runTask({ taskDefinition: taskDef('attach-late', [container('app')]) });
  await h.waitFor(running(task.taskId), 'RUNNING');
  await h.engine.stopTask(task.taskId);
  const stopped = await h.engine.waitForStopped(task.taskId);
  attach.open();
  await turns();
  const after = h.engine.describeTask(task.taskId)!;
  expect(after.containers[0]?.phases.at(-1)).toMatchObject({ phase: 'STOPPED', detail: 'exit 143' });
  expect(after).toEqual(stopped);
});

it('a bridge endpoint attach that fails while the container runs is noted in its history', async () => {
  const hooks: LaunchHooks = {
    ...NO_LAUNCH_HOOKS,
    async prepare(t, detail, id, options) {
      const p = await NO_LAUNCH_HOOKS.prepare(t, detail, id, options);
      return { ...p, attach: () => Promise.reject(new Error('helper gone')) };
    },
  };
  const h = await harness(undefined, hooks);
  const task = await h.engine.runTask({ taskDefinition: taskDef('attach-fails', [container('app')]) });
  await h.waitFor(running(task.taskId), 'RUNNING');
  await turns();
  const phases = h.engine.describeTask(task.taskId)!.containers[0]!.phases;
  expect(phases.at(-1)).toMatchObject({
    phase: 'RUNNING',
    detail: 'task endpoints unreachable at 169.254.170.2: helper gone',
  });
});

/** Waits for a RUNNING push (or state) of the task. */
function untilRunning(engine: TaskEngineApi, taskId: string): Promise<void> {
  return new Promise((resolve) => {
    const off = engine.on('event', (_e, t) => {
      if (t.taskId !== taskId || t.lastStatus !== 'RUNNING') return;
      off();
      resolve();
    });
    if (engine.describeTask(taskId)?.lastStatus === 'RUNNING') {
      off();
      resolve();
    }
  });
}
