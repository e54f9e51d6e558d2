/**
 * Semantics §4, §5 and §6 on real Docker, for behaviours no other integration test pins down:
 * launch order and concurrency of independent containers, startTimeout on COMPLETE/SUCCESS (and
 * never on START), START satisfied by an upstream that already exited, `healthCheck ["NONE"]`,
 * a working entryPoint, and linuxParameters.devices.
 */
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TaskDetail } from '../../contract/dto.js';
import { parseTaskDefinition } from '../task-definition/parse-task-definition.js';
import type { ContainerDefinition, HealthCheck } from '../task-definition/model.js';
import { ECS_LABEL_CONTAINER_NAME, ECS_LABEL_FAMILY, LABEL_ROLE, LABEL_TASK_ID } from './labels.js';
import { removeTaskResources } from './task-resources.js';
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

/** One `createContainer` call the engine made for an app container, with call/return order. */
interface CreateCall {
  readonly taskId: string;
  readonly container: string;
  /** Position in the global sequence of call and return moments. */
  readonly calledSeq: number;
  /** Other createContainer calls still in flight when this one was issued. */
  readonly inFlightAtCall: number;
  returnedSeq?: number;
}

/**
 * Families whose first app-container create is held until a second create of the same task is
 * issued (or 10 s pass). A concurrent engine issues the second while the first is held; a
 * sequential one waits for the first to return, so the hold runs out and the order shows it —
 * whatever the machine's load, which a bare timing race would not survive.
 */
const HOLD_FIRST_CREATE = new Set(['gap-concurrent']);
const HOLD_MS = 10_000;

/** `docker` with createContainer recorded (order of calls and returns); everything else delegated. */
function recordingDocker(docker: Docker, calls: CreateCall[]): Docker {
  let seq = 0;
  let inFlight = 0;
  const held = new Map<string, () => void>();
  const holdIfFirst = (labels: Record<string, string>): Promise<void> => {
    const taskId = labels[LABEL_TASK_ID] ?? '';
    if (!HOLD_FIRST_CREATE.has(labels[ECS_LABEL_FAMILY] ?? '')) return Promise.resolve();
    const release = held.get(taskId);
    if (release) {
      release();
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, HOLD_MS);
      held.set(taskId, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  };
  return new Proxy(docker, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (typeof v !== 'function') return v;
      const bound = (v as (...args: unknown[]) => unknown).bind(target);
      if (prop !== 'createContainer') return bound;
      return (opts: Docker.ContainerCreateOptions) => {
        const labels = opts.Labels ?? {};
        const call: CreateCall | undefined =
          labels[LABEL_ROLE] === 'app'
            ? {
                taskId: labels[LABEL_TASK_ID] ?? '',
                container: labels[ECS_LABEL_CONTAINER_NAME] ?? '',
                calledSeq: seq++,
                inFlightAtCall: inFlight,
              }
            : undefined;
        if (call) calls.push(call);
        inFlight++;
        const hold = call ? holdIfFirst(labels) : Promise.resolve();
        return hold
          .then(() => bound(opts) as Promise<Docker.Container>)
          .finally(() => {
            inFlight--;
            if (call) call.returnedSeq = seq++;
          });
      };
    },
  });
}

const createCalls: CreateCall[] = [];
let h: EngineHarness;
beforeAll(async () => {
  h = await startEngine({ docker: recordingDocker(new Docker(), createCalls) });
});
afterAll(async () => h?.close());

const IMAGECHECK = 'taskdeck-test/busybox-imagecheck:latest';
const ms = (iso: string | undefined) => Date.parse(iso ?? 'x');
const phaseAt = (t: TaskDetail, name: string, phase: string) =>
  ms(byName(t, name).phases.find((p) => p.phase === phase)?.at);
const fastCheck = (command: string[], over: Partial<HealthCheck> = {}): HealthCheck => ({
  command,
  interval: 1,
  timeout: 2,
  retries: 1,
  startPeriod: 0,
  ...over,
});

async function runToEnd(def: Parameters<typeof taskDef>): Promise<TaskDetail> {
  const t = await h.engine.runTask({ taskDefinition: taskDef(...def) });
  const done = await h.engine.waitForStopped(t.taskId);
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  return done;
}

async function logText(taskId: string, name: string): Promise<string[]> {
  return (await h.engine.logs(taskId, { container: name })).map((l) => l.text.replace(/\n$/, ''));
}

describe('§4 dependsOn', () => {
  /** Runs a, b, c (no dependencies between them) until RUNNING, stops it; returns its create calls. */
  async function runIndependent(family: string): Promise<CreateCall[]> {
    const t = await h.engine.runTask({
      taskDefinition: taskDef(family, [
        container('a', { essential: false, ...sh(FOREVER) }),
        container('b', { essential: false, ...sh(FOREVER) }),
        container('c', { ...sh(FOREVER) }),
      ]),
    });
    const up = await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
    for (const n of ['a', 'b', 'c']) expect(byName(up, n).runtimeId).toBeDefined();
    await h.engine.stopTask(t.taskId);
    const done = await h.engine.waitForStopped(t.taskId);
    expect(done.stopCode).toBe('UserInitiated');
    const calls = createCalls.filter((c) => c.taskId === t.taskId);
    // Each container was created exactly once, and every call returned.
    expect([...calls.map((c) => c.container)].sort()).toEqual(['a', 'b', 'c']);
    expect(calls.every((c) => c.returnedSeq !== undefined)).toBe(true);
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
    return calls;
  }

  test('independent containers keep declaration order: createContainer is issued a, b, c', async () => {
    const calls = await runIndependent('gap-order');
    expect(calls.map((c) => c.container)).toEqual(['a', 'b', 'c']);
    expect(await leftovers(h.docker, calls[0]!.taskId)).toEqual(NOTHING_LEFT);
  });

  test('independent containers may start concurrently: the second create is issued before the first returns', async () => {
    const calls = await runIndependent('gap-concurrent');
    const [first, second] = calls;
    expect(second!.calledSeq).toBeLessThan(first!.returnedSeq!);
    expect(second!.inFlightAtCall).toBeGreaterThanOrEqual(1);
    expect(await leftovers(h.docker, first!.taskId)).toEqual(NOTHING_LEFT);
  });

  test.each(['COMPLETE', 'SUCCESS'] as const)(
    'startTimeout applies to %s: the dependent gives up (terminal), is never created, TaskFailedToStart',
    async (condition) => {
      const done = await runToEnd([
        `gap-timeout-${condition.toLowerCase()}`,
        [
          container('slow', { essential: false, ...sh(FOREVER), startTimeout: 2, stopTimeout: 2 }),
          container('app', { ...sh('echo never'), dependsOn: [{ containerName: 'slow', condition }] }),
        ],
      ]);
      const slow = byName(done, 'slow');
      const app = byName(done, 'app');
      expect(app.runtimeId).toBeUndefined();
      expect(createCalls.filter((c) => c.taskId === done.taskId).map((c) => c.container)).toEqual(['slow']);
      expect(app.exitCode).toBe(143);
      expect(app.lastStatus).toBe('STOPPED');
      expect(app.reason).toMatch(/^CannotStartContainerError: dependency graph: /);
      expect(app.reason).toContain('slow');
      expect(app.reason).toContain(condition);
      expect(app.reason).toContain('timed out');
      expect(app.dependencies).toMatchObject([{ containerName: 'slow', condition, state: 'failed' }]);
      expect(done.stopCode).toBe('TaskFailedToStart');
      expect(done.stoppedReason).toBe(app.reason);
      // Counted from the upstream's (Docker) start: not before 2 s, and not absurdly late.
      const gaveUp = phaseAt(done, 'app', 'STOPPED');
      expect(gaveUp - ms(slow.startedAt)).toBeGreaterThanOrEqual(2000);
      expect(gaveUp - ms(slow.startedAt)).toBeLessThan(20_000);
      // The upstream was still running when the dependent gave up; the task stop then SIGTERMed it.
      expect(ms(slow.finishedAt)).toBeGreaterThanOrEqual(gaveUp);
      expect(slow.exitCode).toBe(143);
    },
  );

  test('startTimeout never applies to START: a START dependent outlives the upstream’s startTimeout', async () => {
    const done = await runToEnd([
      'gap-start-no-timeout',
      [
        container('side', { essential: false, ...sh(FOREVER), startTimeout: 1, stopTimeout: 2 }),
        container('app', {
          ...sh('sleep 3', 'echo still-here', 'exit 0'),
          dependsOn: [{ containerName: 'side', condition: 'START' }],
        }),
      ],
    ]);
    const side = byName(done, 'side');
    const app = byName(done, 'app');
    expect(app.exitCode).toBe(0);
    expect(app.reason).toBeUndefined();
    expect(app.dependencies).toMatchObject([{ containerName: 'side', condition: 'START', state: 'met' }]);
    expect(await logText(done.taskId, 'app')).toContain('still-here');
    // The task ran well past side's 1 s startTimeout, and only the essential exit ended it.
    expect(ms(app.finishedAt) - ms(side.startedAt)).toBeGreaterThanOrEqual(2500);
    expect(done.stopCode).toBe('EssentialContainerExited');
    expect(done.stoppedReason).toBe('Essential container in task exited');
    expect(side.exitCode).toBe(143);
    expect(side.reason).toBeUndefined();
    expect(JSON.stringify(done)).not.toContain('timed out');
    const events = h.events.filter((e) => e.detail.taskArn === done.taskArn);
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toContain('timed out');
  });

  test('startTimeout never applies to START: evaluated only after the upstream’s deadline passed, START is still met', async () => {
    // app also waits for `gate` (COMPLETE, no timeout), so its START on `side` is first evaluated
    // as satisfiable ~2 s after side started — past side's 1 s startTimeout.
    const done = await runToEnd([
      'gap-start-late',
      [
        container('side', { essential: false, ...sh(FOREVER), startTimeout: 1, stopTimeout: 2 }),
        container('gate', { essential: false, ...sh('sleep 2', 'exit 0') }),
        container('app', {
          ...sh('echo late-start'),
          dependsOn: [
            { containerName: 'side', condition: 'START' },
            { containerName: 'gate', condition: 'COMPLETE' },
          ],
        }),
      ],
    ]);
    const side = byName(done, 'side');
    const app = byName(done, 'app');
    expect(app.runtimeId).toBeDefined();
    expect(app.exitCode).toBe(0);
    expect(app.reason).toBeUndefined();
    expect(phaseAt(done, 'app', 'CREATED') - ms(side.startedAt)).toBeGreaterThanOrEqual(1000);
    expect(app.dependencies.map((d) => [d.containerName, d.state])).toEqual([
      ['side', 'met'],
      ['gate', 'met'],
    ]);
    expect(await logText(done.taskId, 'app')).toContain('late-start');
    expect(done.stopCode).toBe('EssentialContainerExited');
    expect(JSON.stringify(done)).not.toContain('timed out');
  });

  test('START is satisfied by an upstream that already exited (while another dependency still waits)', async () => {
    const done = await runToEnd([
      'gap-start-exited',
      [
        container('quick', { essential: false, ...sh('exit 0') }),
        container('db', {
          essential: false,
          ...sh('sleep 2; touch /tmp/ready', FOREVER),
          stopTimeout: 2,
          healthCheck: fastCheck(['CMD-SHELL', 'test -f /tmp/ready'], { retries: 10 }),
        }),
        container('app', {
          ...sh('echo app-ran'),
          dependsOn: [
            { containerName: 'quick', condition: 'START' },
            { containerName: 'db', condition: 'HEALTHY' },
          ],
        }),
      ],
    ]);
    const quick = byName(done, 'quick');
    const db = byName(done, 'db');
    const app = byName(done, 'app');
    expect(quick.exitCode).toBe(0);
    // Stopped now, so UNKNOWN (as ECS reports it); it had passed a probe before app was created.
    expect(db.healthStatus).toBe('UNKNOWN');
    const created = phaseAt(done, 'app', 'CREATED');
    // quick had exited before app was created, and app still launched.
    expect(ms(quick.finishedAt)).toBeLessThanOrEqual(created);
    const passed = h.engine.healthProbes(done.taskId).db!.find((p) => p.exitCode === 0);
    expect(ms(passed?.end)).toBeLessThanOrEqual(created);
    expect(app.runtimeId).toBeDefined();
    expect(app.exitCode).toBe(0);
    expect(app.reason).toBeUndefined();
    expect(app.dependencies.map((d) => [d.containerName, d.condition, d.state])).toEqual([
      ['quick', 'START', 'met'],
      ['db', 'HEALTHY', 'met'],
    ]);
    expect(await logText(done.taskId, 'app')).toContain('app-ran');
    expect(done.stopCode).toBe('EssentialContainerExited');
  });
});

describe('§5 health', () => {
  test('healthCheck ["NONE"] disables checks, including the image HEALTHCHECK: UNKNOWN, no probes, no Docker health', async () => {
    // Through the parser, as a user would write it (NONE is accepted and means "no check").
    const parsed = parseTaskDefinition(
      JSON.stringify([
        {
          name: 'app',
          image: IMAGECHECK,
          // Long enough for the image check (exit 1 every second, 3 retries) to go unhealthy.
          command: ['sh', '-c', 'sleep 5; exit 0'],
          healthCheck: { command: ['NONE'], interval: 5 },
        },
      ]),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const app = parsed.taskDefinition.containerDefinitions[0]!;
    expect(app.healthCheck).toBeUndefined();
    // A control in the same task: a task-definition check on the same image is probed and recorded.
    const ctl: ContainerDefinition = container('ctl', {
      essential: false,
      image: IMAGECHECK,
      ...sh(FOREVER),
      stopTimeout: 2,
      healthCheck: fastCheck(['CMD-SHELL', 'exit 3']),
    });
    const t = await h.engine.runTask({ taskDefinition: taskDef('gap-health-none', [app, ctl]), keep: true });
    const done = await h.engine.waitForStopped(t.taskId);
    try {
      const a = byName(done, 'app');
      expect(a.exitCode).toBe(0);
      expect(a.healthStatus).toBe('UNKNOWN');
      expect(a.healthSince).toBeUndefined();
      expect(h.engine.healthProbes(t.taskId).app ?? []).toEqual([]);
      const info = await h.docker.getContainer(a.runtimeId!).inspect();
      expect(info.Config.Healthcheck?.Test).toEqual(['NONE']);
      expect(info.State.Health).toBeUndefined();
      // Never anything but UNKNOWN in any event.
      const appHealth = h.events
        .filter((e) => e.detail.taskArn === done.taskArn)
        .map((e) => e.detail.containers.find((c) => c.name === 'app')?.healthStatus);
      expect(new Set(appHealth)).toEqual(new Set(['UNKNOWN']));

      const c = byName(done, 'ctl');
      // UNHEALTHY while it ran; UNKNOWN once stopped (as ECS reports a stopped container).
      const ctlHealth = h.events
        .filter((e) => e.detail.taskArn === done.taskArn)
        .map((e) => e.detail.containers.find((x) => x.name === 'ctl')?.healthStatus);
      expect(ctlHealth).toContain('UNHEALTHY');
      expect(c.healthStatus).toBe('UNKNOWN');
      const ctlProbes = h.engine.healthProbes(t.taskId).ctl ?? [];
      expect(ctlProbes.length).toBeGreaterThanOrEqual(1);
      expect(ctlProbes.every((p) => p.exitCode === 3)).toBe(true);
    } finally {
      await removeTaskResources(h.docker, t.taskId);
    }
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  });
});

describe('§6 container configuration', () => {
  test('entryPoint + command: the command is the entryPoint’s argument (sh -c expands it)', async () => {
    const done = await runToEnd([
      'gap-entrypoint',
      [container('app', { entryPoint: ['sh', '-c'], command: ['echo entry-$((1+1))'] })],
    ]);
    expect(byName(done, 'app').exitCode).toBe(0);
    const lines = await logText(done.taskId, 'app');
    expect(lines).toContain('entry-2');
    expect(lines.join('\n')).not.toContain('$((');
  });

  test('linuxParameters.devices: the host device appears at containerPath with read/write access', async () => {
    const done = await runToEnd([
      'gap-devices',
      [
        container('plain', {
          essential: false,
          ...sh('test -e /dev/xnull; echo "PLAIN_RC=$?"'),
        }),
        container('dev', {
          linuxParameters: {
            devices: [{ hostPath: '/dev/null', containerPath: '/dev/xnull', permissions: ['read', 'write'] }],
          },
          dependsOn: [{ containerName: 'plain', condition: 'COMPLETE' }],
          ...sh(
            'echo "MAJMIN=$(stat -c %t:%T /dev/xnull)"',
            'echo x > /dev/xnull; echo "WRITE_RC=$?"',
            'cat /dev/xnull; echo "READ_RC=$?"',
            'test -c /dev/xnull',
          ),
        }),
      ],
    ]);
    const dev = byName(done, 'dev');
    expect(dev.exitCode).toBe(0);
    const out = await logText(done.taskId, 'dev');
    expect(out).toEqual(expect.arrayContaining(['MAJMIN=1:3', 'WRITE_RC=0', 'READ_RC=0']));
    // Without the mapping the path does not exist (the test is not vacuous).
    expect(await logText(done.taskId, 'plain')).toContain('PLAIN_RC=1');
    expect(byName(done, 'plain').exitCode).toBe(0);
  });
});
