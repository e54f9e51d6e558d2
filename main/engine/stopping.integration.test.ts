/**
 * Issue 11 (2, 3, 8): stopping a task whose containers wait on dependencies, escalation, a
 * dependency failure before the task ran, and the death of the awsvpc pause container — on real
 * Docker, each checked for leftovers.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { LABEL_ROLE, LABEL_TASK_ID, PAUSE_CONTAINER_NAME } from './labels.js';
import {
  byName,
  container,
  FOREVER,
  FOREVER_MARKED,
  leftovers,
  NOTHING_LEFT,
  sh,
  startEngine,
  taskDef,
  TRAP_SET,
  waitFor,
  waitForLog,
  type EngineHarness,
} from '../test-support/engine-fixture.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngine();
});
afterAll(async () => h?.close());

/** Resolves when `container` of any task prints `text` (engine log events, no polling). */
function logLine(container: string, text: string): Promise<void> {
  return new Promise((resolve) => {
    const off = h.engine.on('logs', (lines) => {
      if (lines.some((l) => l.container === container && l.text === text)) {
        off();
        resolve();
      }
    });
  });
}

/** Generous: the hang this guards against was unbounded (or one 30 s health interval). */
const PROMPTLY_MS = 20_000;

test('StopTask while a dependent waits on COMPLETE of a running upstream: the dependent is never started, the upstream is stopped at once', async () => {
  const dbUp = logLine('db', 'db-up');
  const t = await h.engine.runTask({
    taskDefinition: taskDef('stop-wait-complete', [
      // The pause makes sure db's start call has long returned: the actor is idle when the stop comes.
      container('db', { essential: false, ...sh('sleep 1', 'echo db-up', FOREVER) }),
      container('app', {
        ...sh('echo never'),
        dependsOn: [{ containerName: 'db', condition: 'COMPLETE' }],
      }),
    ]),
  });
  await dbUp;
  expect(byName(h.engine.describeTask(t.taskId)!, 'app').phase).toBe('WAITING');
  const asked = Date.now();
  await h.engine.stopTask(t.taskId, 'stop while waiting');
  const done = await h.engine.waitForStopped(t.taskId);
  expect(Date.now() - asked).toBeLessThan(PROMPTLY_MS);
  expect(done.stopCode).toBe('UserInitiated');
  const app = byName(done, 'app');
  expect(app.lastStatus).toBe('STOPPED');
  expect(app.runtimeId).toBeUndefined();
  expect(app.startedAt).toBeUndefined();
  // db got its SIGTERM (FOREVER exits 143 on it), not a SIGKILL after the stop timeout.
  expect(byName(done, 'db').exitCode).toBe(143);
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
});

test('a forced stop (second request) kills what is left at once, ignoring SIGTERM handlers and stop timeouts, and still cleans up', async () => {
  const t = await h.engine.runTask({
    taskDefinition: taskDef('stop-force', [
      container('db', {
        essential: false,
        ...sh('trap "" TERM; echo up; while true; do sleep 0.1; done'),
        stopTimeout: 100,
      }),
      container('app', {
        ...sh('trap "" TERM; while true; do sleep 0.1; done'),
        stopTimeout: 100,
        dependsOn: [{ containerName: 'db', condition: 'START' }],
      }),
    ]),
  });
  await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
  await h.engine.stopTask(t.taskId, 'first');
  await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'STOPPING');
  const forced = Date.now();
  await h.engine.stopTask(t.taskId, 'second', { force: true });
  const done = await h.engine.waitForStopped(t.taskId);
  expect(Date.now() - forced).toBeLessThan(PROMPTLY_MS);
  // The first request's reason stands; both containers were killed.
  expect(done.stopCode).toBe('UserInitiated');
  expect(done.stoppedReason).toBe('first');
  expect(byName(done, 'app').exitCode).toBe(137);
  expect(byName(done, 'db').exitCode).toBe(137);
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
});

test('a failed migration while db and cache already run: TaskFailedToStart, the dependent never created', async () => {
  const t = await h.engine.runTask({
    taskDefinition: taskDef('stop-migrate-fails', [
      container('db', sh(FOREVER)),
      container('cache', sh(FOREVER)),
      container('migrate', {
        essential: false,
        ...sh('sleep 1; exit 3'),
        dependsOn: [
          { containerName: 'db', condition: 'START' },
          { containerName: 'cache', condition: 'START' },
        ],
      }),
      container('app', {
        ...sh(FOREVER),
        dependsOn: [{ containerName: 'migrate', condition: 'SUCCESS' }],
      }),
    ]),
  });
  const done = await h.engine.waitForStopped(t.taskId);
  // db and cache (essential) were running when the migration failed.
  expect(Date.parse(byName(done, 'db').startedAt!)).toBeLessThan(
    Date.parse(byName(done, 'migrate').finishedAt!),
  );
  expect(Date.parse(byName(done, 'cache').startedAt!)).toBeLessThan(
    Date.parse(byName(done, 'migrate').finishedAt!),
  );
  const app = byName(done, 'app');
  expect(app.runtimeId).toBeUndefined();
  expect(app.exitCode).toBe(143);
  expect(app.reason).toMatch(/^CannotStartContainerError: dependency graph: migrate SUCCESS/);
  expect(done.startedAt).toBeUndefined();
  expect(done.stopCode).toBe('TaskFailedToStart');
  expect(done.stoppedReason).toBe(app.reason);
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
});

test('awsvpc: the pause container killed from outside stops the task (it is essential), with a named reason, nothing left', async () => {
  const t = await h.engine.runTask({
    taskDefinition: taskDef('stop-pause-dies', [container('app', sh(FOREVER_MARKED))], {
      networkMode: 'awsvpc',
    }),
  });
  await waitForLog(h.engine, t.taskId, 'app', TRAP_SET);
  const [pause] = await h.docker.listContainers({
    filters: { label: [`${LABEL_TASK_ID}=${t.taskId}`, `${LABEL_ROLE}=pause`] },
  });
  expect(pause).toBeDefined();
  await h.docker.getContainer(pause!.Id).kill({ signal: 'SIGKILL' });
  const done = await h.engine.waitForStopped(t.taskId);
  expect(done.stopCode).toBe('EssentialContainerExited');
  expect(done.stoppedReason).toBe('Essential container in task exited');
  expect(done.stoppedBy).toBe(PAUSE_CONTAINER_NAME);
  const app = byName(done, 'app');
  expect(app.exitCode).toBe(143);
  expect(app.phases.some((p) => p.detail?.includes('pause container') && p.detail.includes('exited'))).toBe(
    true,
  );
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
});
