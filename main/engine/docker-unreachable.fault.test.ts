/**
 * Issue 11 (5): losing Docker is shown, not hidden. On a private dockerd this file starts and
 * removes itself: the app status goes "Docker unreachable since hh:mm:ss, retrying", a run during
 * the outage is refused with that message and creates nothing, and when Docker is back the status
 * reconnects and every task is resynced (a container that died during the outage is STOPPED).
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import type { DockerConnectionStatus, Settings } from '../../contract/dto.js';
import type { DockerReachabilityState } from '../docker/docker-reachability.js';
import { createDockerSession } from '../services/docker-session.js';
import { createTaskEngine } from './task-engine.js';
import type { TaskEngineApi } from './engine-api.js';
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
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  d = await startSecondDockerd();
  dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-unreachable-'));
}, 180_000);
afterAll(async () => {
  for (const close of closers) await close().catch(() => {});
  await d?.destroy();
  await rm(dataDir, { recursive: true, force: true });
}, 180_000);
beforeEach(async () => d.start());

/** Resolves with the first status `pred` accepts (pushed by the session, no polling). */
function statusWhere(
  statuses: DockerConnectionStatus[],
  listeners: ((s: DockerConnectionStatus) => void)[],
  pred: (s: DockerConnectionStatus) => boolean,
  what: string,
  ms = 60_000,
): Promise<DockerConnectionStatus> {
  const seen = statuses.find(pred);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}; statuses: ${JSON.stringify(statuses)}`)), ms);
    listeners.push((s) => {
      if (!pred(s)) return;
      clearTimeout(timer);
      resolve(s);
    });
  });
}

async function pidOf(docker: Docker, id: string): Promise<number> {
  return (await docker.getContainer(id).inspect()).State.Pid;
}

test('Docker going away: status unreachable since hh:mm:ss, runs refused with nothing created, resynced when back', async () => {
  const statuses: DockerConnectionStatus[] = [];
  const listeners: ((s: DockerConnectionStatus) => void)[] = [];
  let engine: TaskEngineApi | undefined;
  const session = createDockerSession<Docker>({
    connect: async () => ({ docker: d.docker, endpoint: d.host, source: 'test' }),
    createEngine: async (docker) => {
      engine = await createTaskEngine({ docker, dataDir, pauseImage: TEST_IMAGE });
      return engine;
    },
    settings: () => ({}) as Settings,
    onStatus: (s) => {
      statuses.push(s);
      for (const l of listeners) l(s);
    },
    onEngine: () => {},
  });
  closers.push(() => session.close());
  expect((await session.retry()).connected).toBe(true);
  const e = engine!;
  closers.unshift(() => e.stopAll('test teardown'));
  const reach: DockerReachabilityState[] = [];
  e.on('docker', (s) => reach.push(s));

  const t = await e.runTask({ taskDefinition: taskDef('outage-shown', [container('app', sh(FOREVER))]) });
  const running = await waitFor(e, t.taskId, (x) => x.lastStatus === 'RUNNING');
  const pid = await pidOf(d.docker, byName(running, 'app').runtimeId!);

  const before = Date.now();
  await d.stop();
  const down = await statusWhere(
    statuses,
    listeners,
    (s) => s.unreachableSince !== undefined,
    'never unreachable',
  );
  expect(down.connected).toBe(false);
  const since = Date.parse(down.unreachableSince!);
  expect(since).toBeGreaterThanOrEqual(before - 1000);
  expect(since).toBeLessThanOrEqual(Date.now());
  expect(down.error).toMatch(/^Docker unreachable since \d\d:\d\d:\d\d, retrying \(/);
  expect(e.dockerReachability?.()).toMatchObject({ reachable: false, since: down.unreachableSince });

  // A run during the outage: refused with the clear message, nothing recorded or started.
  const tasksBefore = await readdir(join(dataDir, 'tasks'));
  await expect(
    e.runTask({ taskDefinition: taskDef('outage-refused', [container('app', sh(FOREVER))]) }),
  ).rejects.toThrow(/^Docker unreachable since \d\d:\d\d:\d\d, retrying: no new task was started/);
  expect(e.listTasks().map((x) => x.taskId)).toEqual([t.taskId]);
  expect(await readdir(join(dataDir, 'tasks'))).toEqual(tasksBefore);

  // The container dies while Docker is away: nothing can tell the engine but Docker, afterwards.
  process.kill(pid, 'SIGKILL');
  await d.start();
  const up = await statusWhere(
    statuses,
    listeners,
    (s) => s.connected && statuses.indexOf(s) > statuses.indexOf(down),
    'never reconnected',
  );
  expect(up.unreachableSince).toBeUndefined();
  expect(up.error).toBeUndefined();
  expect(reach.at(-1)).toEqual({ reachable: true });

  const done = await waitFor(e, t.taskId, (x) => x.lastStatus === 'STOPPED', 90_000);
  expect(done.stopCode).toBe('EssentialContainerExited');
  expect(byName(done, 'app').exitCode).toBe(137);
  // Runs are accepted again, and nothing of the refused run exists on the daemon.
  const again = await e.runTask({
    taskDefinition: taskDef('outage-after', [container('app', sh('exit 0'))]),
  });
  expect((await e.waitForStopped(again.taskId)).lastStatus).toBe('STOPPED');
  const all = await d.docker.listContainers({ all: true, filters: { label: ['com.taskdeck.managed=true'] } });
  expect(
    all.map((c) => c.Labels['com.taskdeck.task-id']).filter((id) => id !== t.taskId && id !== again.taskId),
  ).toEqual([]);
  expect(await leftovers(d.docker, t.taskId)).toEqual(NOTHING_LEFT);
});
