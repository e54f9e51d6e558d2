/** Semantics §4 on real Docker: ordering, all four conditions, terminal failures, timeouts, stop order. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TaskDetail } from '../../contract/dto.js';
import {
  byName,
  container,
  FOREVER,
  leftovers,
  NOTHING_LEFT,
  sh,
  startEngine,
  taskDef,
  waitFor,
  type EngineHarness,
} from '../test-support/engine-fixture.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngine();
});
afterAll(async () => h?.close());

const startedMs = (t: TaskDetail, name: string) => Date.parse(byName(t, name).startedAt ?? 'x');
const createdMs = (t: TaskDetail, name: string) =>
  Date.parse(byName(t, name).phases.find((p) => p.phase === 'CREATED')?.at ?? 'x');

async function runToEnd(def: Parameters<typeof taskDef>) {
  const t = await h.engine.runTask({ taskDefinition: taskDef(...def) });
  const done = await h.engine.waitForStopped(t.taskId);
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  return done;
}

describe('dependsOn conditions', () => {
  test('COMPLETE: dependent is created only after the upstream exited (any code)', async () => {
    const done = await runToEnd([
      'dep-complete',
      [
        container('init', { essential: false, ...sh('sleep 0.5; exit 4') }),
        container('app', {
          ...sh('echo app'),
          dependsOn: [{ containerName: 'init', condition: 'COMPLETE' }],
        }),
      ],
    ]);
    const init = byName(done, 'init');
    expect(init.exitCode).toBe(4);
    expect(createdMs(done, 'app')).toBeGreaterThanOrEqual(Date.parse(init.finishedAt!));
    expect(byName(done, 'app').exitCode).toBe(0);
    expect(done.stopCode).toBe('EssentialContainerExited');
  });

  test('SUCCESS: exit 0 releases the dependent', async () => {
    const done = await runToEnd([
      'dep-success',
      [
        container('migrate', { essential: false, ...sh('sleep 0.3; exit 0') }),
        container('app', {
          ...sh('echo ok'),
          dependsOn: [{ containerName: 'migrate', condition: 'SUCCESS' }],
        }),
      ],
    ]);
    expect(byName(done, 'app').exitCode).toBe(0);
    expect(createdMs(done, 'app')).toBeGreaterThanOrEqual(Date.parse(byName(done, 'migrate').finishedAt!));
  });

  test('SUCCESS: non-zero exit is terminal — dependent never created, exit 143, named reason, TaskFailedToStart', async () => {
    const done = await runToEnd([
      'dep-success-fail',
      [
        container('migrate', { essential: false, ...sh('exit 2') }),
        container('app', {
          ...sh('echo never'),
          dependsOn: [{ containerName: 'migrate', condition: 'SUCCESS' }],
        }),
      ],
    ]);
    const app = byName(done, 'app');
    expect(app.runtimeId).toBeUndefined();
    expect(app.exitCode).toBe(143);
    expect(app.reason).toMatch(/^CannotStartContainerError: dependency graph: /);
    expect(app.reason).toContain('migrate');
    expect(app.reason).toContain('SUCCESS');
    expect(app.reason).toContain('exited with code 2');
    expect(done.stopCode).toBe('TaskFailedToStart');
    expect(done.stoppedReason).toBe(app.reason);
  });

  test('a non-essential dependent failing after the essential container is up still stops the task (TaskFailedToStart)', async () => {
    const done = await runToEnd([
      'dep-nonessential-fail',
      [
        container('app', sh(FOREVER)),
        container('migrate', { essential: false, ...sh('sleep 1; exit 1') }),
        container('worker', {
          essential: false,
          ...sh('echo never'),
          dependsOn: [{ containerName: 'migrate', condition: 'SUCCESS' }],
        }),
      ],
    ]);
    const worker = byName(done, 'worker');
    expect(worker.runtimeId).toBeUndefined();
    expect(worker.exitCode).toBe(143);
    expect(worker.reason).toMatch(/^CannotStartContainerError: dependency graph: migrate SUCCESS/);
    // The essential container was up when it happened, and was stopped because of it.
    expect(Date.parse(byName(done, 'app').startedAt!)).toBeLessThan(
      Date.parse(byName(done, 'migrate').finishedAt!),
    );
    expect(byName(done, 'app').exitCode).toBe(143);
    expect(done.stopCode).toBe('TaskFailedToStart');
    expect(done.stoppedReason).toBe(worker.reason);
    expect(done.startedAt).toBeUndefined();
  });

  test('START: dependent starts after the upstream started, while it still runs', async () => {
    const done = await runToEnd([
      'dep-start',
      [
        container('sidecar', { essential: false, ...sh(FOREVER) }),
        container('app', {
          ...sh('sleep 0.2'),
          dependsOn: [{ containerName: 'sidecar', condition: 'START' }],
        }),
      ],
    ]);
    expect(startedMs(done, 'app')).toBeGreaterThanOrEqual(startedMs(done, 'sidecar'));
    // The sidecar was stopped because the essential app exited.
    expect(byName(done, 'sidecar').exitCode).toBe(143);
  });

  test('HEALTHY: dependent waits for the health check to pass', async () => {
    const done = await runToEnd([
      'dep-healthy',
      [
        container('db', {
          essential: false,
          ...sh(`sleep 1; touch /tmp/ready; ${FOREVER}`),
          healthCheck: {
            command: ['CMD-SHELL', 'test -f /tmp/ready'],
            interval: 1,
            timeout: 2,
            retries: 10,
            startPeriod: 0,
          },
        }),
        container('app', { ...sh('echo up'), dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }),
      ],
    ]);
    const db = byName(done, 'db');
    // Stopped now, so UNKNOWN (as ECS reports it); it had passed a probe before app was created.
    expect(db.healthStatus).toBe('UNKNOWN');
    const passed = h.engine.healthProbes(done.taskId).db!.find((p) => p.exitCode === 0);
    expect(createdMs(done, 'app')).toBeGreaterThanOrEqual(Date.parse(passed!.end));
    const wait = byName(done, 'app').phases.find((p) => p.phase === 'WAITING');
    expect(wait?.detail).toContain('db: HEALTHY');
    expect(byName(done, 'app').dependencies[0]?.state).toBe('met');
  });

  test('HEALTHY with startTimeout: timing out is terminal and says so', async () => {
    const done = await runToEnd([
      'dep-timeout',
      [
        container('db', {
          essential: false,
          ...sh(FOREVER),
          startTimeout: 2,
          healthCheck: {
            command: ['CMD-SHELL', 'exit 1'],
            interval: 1,
            timeout: 2,
            retries: 10,
            startPeriod: 0,
          },
        }),
        container('app', { ...sh('echo never'), dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }),
      ],
    ]);
    const app = byName(done, 'app');
    expect(app.exitCode).toBe(143);
    expect(app.reason).toContain('timed out');
    expect(app.runtimeId).toBeUndefined();
    expect(done.stopCode).toBe('TaskFailedToStart');
  });

  test('HEALTHY on an upstream that exits before becoming healthy is terminal', async () => {
    const done = await runToEnd([
      'dep-healthy-exit',
      [
        container('db', {
          essential: false,
          ...sh('exit 1'),
          healthCheck: {
            command: ['CMD-SHELL', 'true'],
            interval: 5,
            timeout: 2,
            retries: 3,
            startPeriod: 0,
          },
        }),
        container('app', { ...sh('echo never'), dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }),
      ],
    ]);
    expect(byName(done, 'app').reason).toMatch(/CannotStartContainerError: dependency graph: db HEALTHY/);
  });

  test('a chain launches in dependency order, whatever the declaration order', async () => {
    const done = await runToEnd([
      'dep-chain',
      [
        container('web', { ...sh('sleep 0.2'), dependsOn: [{ containerName: 'api', condition: 'START' }] }),
        container('api', {
          essential: false,
          ...sh(FOREVER),
          dependsOn: [{ containerName: 'db', condition: 'START' }],
        }),
        container('db', { essential: false, ...sh(FOREVER) }),
      ],
    ]);
    expect(startedMs(done, 'db')).toBeLessThanOrEqual(startedMs(done, 'api'));
    expect(startedMs(done, 'api')).toBeLessThanOrEqual(startedMs(done, 'web'));
  });
});

describe('stopping', () => {
  test('reverse order: an upstream is not signalled until its dependents stopped', async () => {
    const t = await h.engine.runTask({
      taskDefinition: taskDef('stop-order', [
        // db traps TERM and reports when it got it; app takes a while to stop.
        container('db', { essential: true, ...sh('trap "exit 0" TERM; while true; do sleep 0.1; done') }),
        container('app', {
          ...sh('trap "sleep 1; exit 0" TERM; while true; do sleep 0.1; done'),
          dependsOn: [{ containerName: 'db', condition: 'START' }],
        }),
      ]),
    });
    await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
    await h.engine.stopTask(t.taskId, 'bye');
    const done = await h.engine.waitForStopped(t.taskId);
    const db = byName(done, 'db');
    const app = byName(done, 'app');
    const dbStopping = Date.parse(db.phases.find((p) => p.phase === 'STOPPING')!.at);
    expect(dbStopping).toBeGreaterThanOrEqual(Date.parse(app.finishedAt!));
    expect(done.stopCode).toBe('UserInitiated');
    expect(done.stoppedReason).toBe('bye');
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  });

  test('stopTimeout: SIGKILL after that many seconds (exit 137)', async () => {
    const t = await h.engine.runTask({
      taskDefinition: taskDef('stop-timeout', [
        container('app', { ...sh('trap "" TERM; while true; do sleep 0.1; done'), stopTimeout: 1 }),
      ]),
    });
    await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
    const asked = Date.now();
    await h.engine.stopTask(t.taskId);
    const done = await h.engine.waitForStopped(t.taskId);
    expect(byName(done, 'app').exitCode).toBe(137);
    expect(Date.parse(byName(done, 'app').finishedAt!) - asked).toBeGreaterThanOrEqual(900);
    expect(done.stoppedReason).toBe('Task stopped by user');
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  });

  test('stop during launch: nothing further starts, UserInitiated', async () => {
    const t = await h.engine.runTask({
      taskDefinition: taskDef('stop-launching', [
        container('db', {
          essential: false,
          ...sh(FOREVER),
          healthCheck: {
            command: ['CMD-SHELL', 'exit 1'],
            interval: 1,
            timeout: 2,
            retries: 10,
            startPeriod: 0,
          },
        }),
        container('app', { ...sh('echo never'), dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }] }),
      ]),
    });
    await waitFor(h.engine, t.taskId, (x) => byName(x, 'db').lastStatus === 'RUNNING');
    await h.engine.stopTask(t.taskId, 'changed my mind');
    const done = await h.engine.waitForStopped(t.taskId);
    expect(byName(done, 'app').runtimeId).toBeUndefined();
    expect(byName(done, 'app').lastStatus).toBe('STOPPED');
    expect(done.stopCode).toBe('UserInitiated');
    expect(done.stoppedReason).toBe('changed my mind');
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  });

  test('stop during launch with part of a chain started: what started stops in reverse order', async () => {
    const t = await h.engine.runTask({
      taskDefinition: taskDef('stop-launching-chain', [
        container('db', { essential: false, ...sh('trap "exit 0" TERM; while true; do sleep 0.1; done') }),
        container('api', {
          essential: false,
          ...sh('trap "sleep 1; exit 0" TERM; while true; do sleep 0.1; done'),
          dependsOn: [{ containerName: 'db', condition: 'START' }],
          healthCheck: {
            command: ['CMD-SHELL', 'exit 1'],
            interval: 1,
            timeout: 2,
            retries: 10,
            startPeriod: 0,
          },
        }),
        container('web', {
          ...sh('echo never'),
          dependsOn: [{ containerName: 'api', condition: 'HEALTHY' }],
        }),
      ]),
    });
    await waitFor(h.engine, t.taskId, (x) => byName(x, 'api').lastStatus === 'RUNNING');
    await h.engine.stopTask(t.taskId, 'abort');
    const done = await h.engine.waitForStopped(t.taskId);
    expect(byName(done, 'web').runtimeId).toBeUndefined();
    const db = byName(done, 'db');
    const dbStopping = Date.parse(db.phases.find((p) => p.phase === 'STOPPING')!.at);
    expect(dbStopping).toBeGreaterThanOrEqual(Date.parse(byName(done, 'api').finishedAt!));
    expect(done.stopCode).toBe('UserInitiated');
    expect(done.stoppedReason).toBe('abort');
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  });

  test('stop right after RunTask (still provisioning or pulling): nothing is created, nothing is left', async () => {
    const t = await h.engine.runTask({
      taskDefinition: taskDef('stop-provisioning', [
        container('app', sh(FOREVER)),
        container('side', { essential: false, ...sh(FOREVER) }),
      ]),
    });
    await h.engine.stopTask(t.taskId, 'too soon');
    const done = await h.engine.waitForStopped(t.taskId);
    expect(done.lastStatus).toBe('STOPPED');
    expect(done.stopCode).toBe('UserInitiated');
    expect(done.stoppedReason).toBe('too soon');
    expect(done.containers.every((c) => c.lastStatus === 'STOPPED')).toBe(true);
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  });
});
