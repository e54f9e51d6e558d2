/** Semantics §2 (status, timestamps, ARNs) and §3 (essential containers, stop codes) on real Docker. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type {
  ContainerLastStatus,
  TaskDetail,
  TaskLastStatus,
  TaskStateChangeEvent,
} from '../../contract/dto.js';
import type { ContainerDefinition } from '../task-definition/model.js';
import { TASK_STATUS_ORDER } from './status.js';
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
  waitFor,
  waitForLog,
  TRAP_SET,
  type EngineHarness,
} from '../test-support/engine-fixture.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngine();
});
afterAll(async () => h?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (iso: string | undefined) => {
  expect(iso, 'timestamp present').toBeDefined();
  return Date.parse(iso!);
};

async function run(family: string, containers: ContainerDefinition[]): Promise<TaskDetail> {
  return h.engine.runTask({ taskDefinition: taskDef(family, containers) });
}

async function finish(taskId: string): Promise<TaskDetail> {
  const done = await h.engine.waitForStopped(taskId);
  expect(await leftovers(h.docker, taskId)).toEqual(NOTHING_LEFT);
  return done;
}

/** Collapses consecutive duplicates. */
function distinct<T>(xs: readonly T[]): T[] {
  return xs.filter((x, i) => i === 0 || xs[i - 1] !== x);
}

describe('§2 task and container status', () => {
  test('PENDING, RUNNING and STOPPED are observable as events; lastStatus never goes back', async () => {
    const t = await run('life-status', [container('app', sh('sleep 0.3'))]);
    await finish(t.taskId);
    const events = await h.engine.events(t.taskId);
    const statuses = distinct(events.map((e) => e.detail.lastStatus));
    for (const s of ['PENDING', 'RUNNING', 'STOPPED'] as const) expect(statuses).toContain(s);
    const ranks = statuses.map((s) => TASK_STATUS_ORDER.indexOf(s));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(statuses.at(-1)).toBe('STOPPED');
    // The live stream saw the same events as the store.
    expect(h.events.filter((e) => e.resources[0] === t.taskArn).map((e) => e.id)).toEqual(
      events.map((e) => e.id),
    );
  });

  test('desiredStatus is only RUNNING or STOPPED, and flips to STOPPED exactly once', async () => {
    const t = await run('life-desired', [container('app', sh('sleep 0.2; exit 0'))]);
    await finish(t.taskId);
    const desired = (await h.engine.events(t.taskId)).map((e) => e.detail.desiredStatus);
    expect(new Set(desired)).toEqual(new Set(['RUNNING', 'STOPPED']));
    expect(distinct(desired)).toEqual(['RUNNING', 'STOPPED']);
  });

  test('container lastStatus goes PENDING → RUNNING → STOPPED (internal phases map to PENDING)', async () => {
    const t = await run('life-cstatus', [
      container('app', sh('sleep 0.5')),
      container('side', { essential: false, ...sh(FOREVER), stopTimeout: 2 }),
    ]);
    const done = await finish(t.taskId);
    const events = await h.engine.events(t.taskId);
    for (const name of ['app', 'side']) {
      const seq = distinct(events.map((e) => e.detail.containers.find((c) => c.name === name)!.lastStatus));
      expect(seq).toEqual<ContainerLastStatus[]>(['PENDING', 'RUNNING', 'STOPPED']);
      // The finer phases passed through PULLING/PULLED/CREATED while the API said PENDING.
      const phases = byName(done, name).phases.map((p) => p.phase);
      expect(phases).toEqual(expect.arrayContaining(['PULLING', 'PULLED', 'CREATED', 'RUNNING', 'STOPPED']));
    }
  });

  test('timestamps: createdAt ≤ pullStartedAt ≤ pullStoppedAt ≤ startedAt ≤ stoppingAt ≤ executionStoppedAt ≤ stoppedAt', async () => {
    const t = await run('life-times', [container('app', { ...sh(FOREVER), stopTimeout: 2 })]);
    await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
    await sleep(100);
    await h.engine.stopTask(t.taskId);
    const done = await finish(t.taskId);
    const order = [
      done.createdAt,
      done.pullStartedAt,
      done.pullStoppedAt,
      done.startedAt,
      done.stoppingAt,
      done.executionStoppedAt,
      done.stoppedAt,
    ].map(ms);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // The container's own times sit inside the task's.
    const app = byName(done, 'app');
    expect(ms(app.startedAt)).toBeLessThanOrEqual(ms(app.finishedAt));
    expect(ms(app.finishedAt)).toBeLessThanOrEqual(ms(done.stoppedAt));
    expect(ms(done.stoppingAt)).toBeLessThanOrEqual(ms(app.finishedAt));
  });

  test('ARNs and defaults: us-east-1, 000000000000, cluster default, EC2 for a bridge definition', async () => {
    const t = await run('life-arns', [container('web-1', sh('true'))]);
    expect(t.taskArn).toMatch(/^arn:aws:ecs:us-east-1:000000000000:task\/default\/[0-9a-f]{32}$/);
    expect(t.taskArn.endsWith(`/${t.taskId}`)).toBe(true);
    expect(t.clusterArn).toBe('arn:aws:ecs:us-east-1:000000000000:cluster/default');
    expect(t.taskDefinitionArn).toBe('arn:aws:ecs:us-east-1:000000000000:task-definition/life-arns:1');
    expect(byName(t, 'web-1').containerArn).toBe(
      `arn:aws:ecs:us-east-1:000000000000:container/default/${t.taskId}/web-1`,
    );
    expect(byName(t, 'web-1').taskArn).toBe(t.taskArn);
    // A bridge definition is not Fargate-compatible: EC2, as ECS would launch it.
    expect(t.launchType).toBe('EC2');
    expect(t.group).toBe('family:life-arns');
    expect(t.lastStatus).toBe<TaskLastStatus>('PROVISIONING');
    expect(t.desiredStatus).toBe('RUNNING');
    await finish(t.taskId);
  });
});

describe('§3 essential containers and stop codes', () => {
  test('an essential exit stops every other container: EssentialContainerExited', async () => {
    const t = await run('life-essential', [
      container('app', sh('sleep 0.5; exit 3')),
      container('side', { essential: false, ...sh(FOREVER), stopTimeout: 2 }),
      container('other', { ...sh(FOREVER), stopTimeout: 2 }),
    ]);
    const done = await finish(t.taskId);
    expect(done.stopCode).toBe('EssentialContainerExited');
    expect(done.stoppedReason).toBe('Essential container in task exited');
    expect(done.stoppedBy).toBe('app');
    expect(done.desiredStatus).toBe('STOPPED');
    expect(byName(done, 'app').exitCode).toBe(3);
    expect(byName(done, 'side').exitCode).toBe(143);
    expect(byName(done, 'other').exitCode).toBe(143);
    // The others were signalled only after the essential one exited.
    for (const n of ['side', 'other'])
      expect(ms(byName(done, n).finishedAt)).toBeGreaterThanOrEqual(ms(byName(done, 'app').finishedAt));
  });

  test('a non-essential exit changes nothing: the task keeps RUNNING until stopped', async () => {
    const t = await run('life-nonessential', [
      container('app', { ...sh(FOREVER), stopTimeout: 2 }),
      container('job', { essential: false, ...sh('exit 5') }),
    ]);
    const afterJob = await waitFor(
      h.engine,
      t.taskId,
      (x) => byName(x, 'job').lastStatus === 'STOPPED' && x.lastStatus === 'RUNNING',
    );
    expect(byName(afterJob, 'job').exitCode).toBe(5);
    await sleep(1000);
    const still = h.engine.describeTask(t.taskId)!;
    expect(still.lastStatus).toBe('RUNNING');
    expect(still.desiredStatus).toBe('RUNNING');
    expect(still.stopCode).toBeUndefined();
    expect(still.stoppedReason).toBeUndefined();
    expect(byName(still, 'app').lastStatus).toBe('RUNNING');
    await h.engine.stopTask(t.taskId);
    const done = await finish(t.taskId);
    expect(done.stopCode).toBe('UserInitiated');
    expect(byName(done, 'job').exitCode).toBe(5);
    expect(byName(done, 'app').exitCode).toBe(143);
  });

  test('StopTask: UserInitiated with the default reason, not overwritten when the essential container then exits', async () => {
    const t = await run('life-stop-default', [container('app', { ...sh(FOREVER_MARKED), stopTimeout: 2 })]);
    await waitForLog(h.engine, t.taskId, 'app', TRAP_SET);
    const requested = await h.engine.stopTask(t.taskId);
    expect(requested.desiredStatus).toBe('STOPPED');
    expect(requested.stopCode).toBe('UserInitiated');
    const done = await finish(t.taskId);
    expect(done.stopCode).toBe('UserInitiated');
    expect(done.stoppedReason).toBe('Task stopped by user');
    expect(byName(done, 'app').exitCode).toBe(143);
    const after = (await h.engine.events(t.taskId)).filter((e) => e.detail.desiredStatus === 'STOPPED');
    expect(after.length).toBeGreaterThan(1);
    for (const e of after) {
      expect(e.detail.stopCode).toBe('UserInitiated');
      expect(e.detail.stoppedReason).toBe('Task stopped by user');
    }
  });

  test('StopTask: a given reason is kept verbatim; a second stop does not replace it', async () => {
    const t = await run('life-stop-reason', [container('app', { ...sh(FOREVER), stopTimeout: 2 })]);
    await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
    await h.engine.stopTask(t.taskId, 'deploying v2');
    await h.engine.stopTask(t.taskId, 'second opinion');
    const done = await finish(t.taskId);
    expect(done.stopCode).toBe('UserInitiated');
    expect(done.stoppedReason).toBe('deploying v2');
  });

  test('pull failure: TaskFailedToStart, CannotPullContainerError on the container and the task', async () => {
    const t = await run('life-pullfail', [
      container('app', { image: '127.0.0.1:5000/nope/missing:latest', ...sh('true') }),
    ]);
    const done = await finish(t.taskId);
    const app = byName(done, 'app');
    expect(done.stopCode).toBe('TaskFailedToStart');
    expect(app.reason).toMatch(/^CannotPullContainerError: /);
    expect(app.reason).toContain('127.0.0.1:5000/nope/missing');
    expect(done.stoppedReason).toBe(app.reason);
    expect(app.lastStatus).toBe('STOPPED');
    expect(app.runtimeId).toBeUndefined();
    expect(done.startedAt).toBeUndefined();
    // The agent records pullStoppedAt when the pull ends, failed or not.
    const order = [done.pullStartedAt, done.pullStoppedAt, done.stoppingAt, done.stoppedAt].map(ms);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const statuses = (await h.engine.events(t.taskId)).map((e) => e.detail.lastStatus);
    expect(statuses).not.toContain('RUNNING');
  });

  test.each([
    {
      what: 'a mount onto a relative container path',
      def: [
        container('app', {
          ...sh('true'),
          mountPoints: [{ sourceVolume: 'v', containerPath: 'relative/path', readOnly: false }],
        }),
      ],
      volumes: [{ name: 'v', host: { sourcePath: '/tmp' } }],
      message: 'must be absolute',
    },
    {
      what: 'an unknown capability',
      def: [
        container('app', {
          ...sh('true'),
          linuxParameters: { capabilities: { add: ['NOT_A_CAP'], drop: [] } },
        }),
      ],
      volumes: [],
      message: 'NOT_A_CAP',
    },
  ])(
    'create failure ($what): TaskFailedToStart, CannotCreateContainerError',
    async ({ def, volumes, message }) => {
      const t = await h.engine.runTask({
        taskDefinition: taskDef('life-createfail', def, { volumes }),
      });
      const done = await finish(t.taskId);
      const app = byName(done, 'app');
      expect(done.stopCode).toBe('TaskFailedToStart');
      expect(app.reason).toMatch(/^CannotCreateContainerError: /);
      expect(app.reason).toContain(message);
      expect(done.stoppedReason).toBe(app.reason);
      expect(app.runtimeId).toBeUndefined();
    },
  );

  test.each([
    { what: 'a missing entryPoint', over: { entryPoint: ['/nonexistent'] }, message: '/nonexistent' },
    { what: 'an unknown user', over: { user: 'nosuchuser', ...sh('true') }, message: 'nosuchuser' },
  ])('start failure ($what): TaskFailedToStart, CannotStartContainerError', async ({ over, message }) => {
    const t = await run('life-startfail', [container('app', over)]);
    const done = await finish(t.taskId);
    const app = byName(done, 'app');
    expect(done.stopCode).toBe('TaskFailedToStart');
    expect(app.reason).toMatch(/^CannotStartContainerError: /);
    expect(app.reason).toContain(message);
    expect(done.stoppedReason).toBe(app.reason);
    expect(app.lastStatus).toBe('STOPPED');
    expect(done.startedAt).toBeUndefined();
  });

  test('OOM: exit 137 and OutOfMemoryError on the container', async () => {
    const info = (await h.docker.info()) as { MemoryLimit?: boolean };
    if (info.MemoryLimit === false) {
      throw new Error(
        'This Docker daemon reports MemoryLimit=false: the kernel cannot enforce memory limits, so OOM cannot be tested here.',
      );
    }
    const t = await run('life-oom', [container('app', { memory: 6, ...sh('head -c 50m /dev/zero | tail') })]);
    const done = await finish(t.taskId);
    const app = byName(done, 'app');
    if (app.exitCode === 0) {
      throw new Error(
        'A 6 MiB container buffered 50 MiB and exited 0: this kernel/daemon does not enforce memory limits, so OOM kills cannot be tested here.',
      );
    }
    expect(app.exitCode).toBe(137);
    expect(app.reason).toBe('OutOfMemoryError: Container killed due to memory usage');
    expect(done.stopCode).toBe('EssentialContainerExited');
    expect(done.stoppedReason).toBe('Essential container in task exited');
  });

  test('every container keeps its own exit code, in the record and in the last event', async () => {
    const t = await run('life-exitcodes', [
      container('ok', { essential: false, ...sh('exit 0') }),
      container('seven', { essential: false, ...sh('exit 7') }),
      container('long', { essential: false, ...sh(FOREVER), stopTimeout: 2 }),
      container('main', sh('sleep 1; exit 3')),
    ]);
    const done = await finish(t.taskId);
    const want = { ok: 0, seven: 7, long: 143, main: 3 };
    expect(Object.fromEntries(done.containers.map((c) => [c.name, c.exitCode]))).toEqual(want);
    const last: TaskStateChangeEvent = (await h.engine.events(t.taskId)).at(-1)!;
    expect(Object.fromEntries(last.detail.containers.map((c) => [c.name, c.exitCode]))).toEqual(want);
    expect(last.detail.stopCode).toBe('EssentialContainerExited');
  });
});
