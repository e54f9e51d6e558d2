/** Semantics §5 on real Docker: container and task health, image HEALTHCHECK ignored, every probe kept. */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ContainerDefinition, HealthCheck } from '../task-definition/model.js';
import {
  byName,
  container,
  leftovers,
  NOTHING_LEFT,
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

const IMAGECHECK = 'taskdeck-test/busybox-imagecheck:latest';
/** Runs until SIGTERM, then exits 143 (a shell as PID 1 would otherwise ignore SIGTERM). */
const FOREVER = {
  command: ['sh', '-c', 'trap "exit 143" TERM; while true; do sleep 0.1; done'],
  stopTimeout: 2,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const check = (command: string[], over: Partial<HealthCheck> = {}): HealthCheck => ({
  command,
  interval: 1,
  timeout: 2,
  retries: 1,
  startPeriod: 0,
  ...over,
});
const PASS = check(['CMD-SHELL', 'true']);
const FAIL = check(['CMD-SHELL', 'exit 1']);

async function start(family: string, containers: ContainerDefinition[]) {
  return h.engine.runTask({ taskDefinition: taskDef(family, containers) });
}

async function stop(taskId: string) {
  await h.engine.stopTask(taskId);
  const done = await h.engine.waitForStopped(taskId);
  expect(await leftovers(h.docker, taskId)).toEqual(NOTHING_LEFT);
  return done;
}

// Independent tasks that mostly wait on 1 s probes: run them side by side.
describe.concurrent('health', () => {
  test('a passing check makes the container and the task HEALTHY', async () => {
    const t = await start('health-pass', [container('app', { ...FOREVER, healthCheck: PASS })]);
    const up = await waitFor(h.engine, t.taskId, (x) => x.healthStatus === 'HEALTHY');
    expect(byName(up, 'app').healthStatus).toBe('HEALTHY');
    expect(byName(up, 'app').healthSince).toBeDefined();
    expect(up.lastStatus).toBe('RUNNING');
    await stop(t.taskId);
  });

  test('a stopped container is no longer HEALTHY: UNKNOWN, as ECS reports it (and so is the task)', async () => {
    const t = await start('health-stopped', [container('app', { ...FOREVER, healthCheck: PASS })]);
    await waitFor(h.engine, t.taskId, (x) => x.healthStatus === 'HEALTHY');
    const done = await stop(t.taskId);
    const app = byName(done, 'app');
    expect(app.lastStatus).toBe('STOPPED');
    expect(app.healthStatus).toBe('UNKNOWN');
    expect(Date.parse(app.healthSince!)).toBeGreaterThanOrEqual(Date.parse(app.startedAt!));
    expect(done.healthStatus).toBe('UNKNOWN');
    // The stored STOPPED event says the same.
    const last = (await h.engine.events(t.taskId)).at(-1)!.detail;
    expect(last.lastStatus).toBe('STOPPED');
    expect(last.containers[0]!.healthStatus).toBe('UNKNOWN');
  });

  test('a failing check makes it UNHEALTHY only after `retries` failed probes', async () => {
    const t = await start('health-retries', [
      container('app', { ...FOREVER, healthCheck: { ...FAIL, retries: 3 } }),
    ]);
    const down = await waitFor(h.engine, t.taskId, (x) => byName(x, 'app').healthStatus === 'UNHEALTHY');
    expect(down.healthStatus).toBe('UNHEALTHY');
    const since = Date.parse(byName(down, 'app').healthSince!);
    await sleep(500);
    await stop(t.taskId);
    // Probes are fetched after Docker's health_status event; count those that ran before the flip.
    const before = h.engine.healthProbes(t.taskId).app!.filter((p) => Date.parse(p.start) <= since);
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(before.every((p) => p.exitCode === 1)).toBe(true);
  });

  test('an UNHEALTHY standalone task keeps running', async () => {
    const t = await start('health-unhealthy', [container('app', { ...FOREVER, healthCheck: FAIL })]);
    await waitFor(h.engine, t.taskId, (x) => x.healthStatus === 'UNHEALTHY');
    await sleep(2000);
    const still = h.engine.describeTask(t.taskId)!;
    expect(still.healthStatus).toBe('UNHEALTHY');
    expect(still.lastStatus).toBe('RUNNING');
    expect(still.desiredStatus).toBe('RUNNING');
    expect(byName(still, 'app').lastStatus).toBe('RUNNING');
    expect(still.stopCode).toBeUndefined();
    const done = await stop(t.taskId);
    expect(done.stopCode).toBe('UserInitiated');
  });

  test('task health ignores non-essential containers: a non-essential UNHEALTHY leaves the task HEALTHY', async () => {
    const t = await start('health-nonessential', [
      container('app', { ...FOREVER, healthCheck: PASS }),
      container('side', { ...FOREVER, essential: false, healthCheck: FAIL }),
    ]);
    const settled = await waitFor(
      h.engine,
      t.taskId,
      (x) => byName(x, 'app').healthStatus === 'HEALTHY' && byName(x, 'side').healthStatus === 'UNHEALTHY',
    );
    expect(settled.healthStatus).toBe('HEALTHY');
    await stop(t.taskId);
  });

  test('task health: an essential container without a check keeps the task UNKNOWN even if a non-essential is HEALTHY', async () => {
    const t = await start('health-unknown', [
      container('app', FOREVER),
      container('side', { ...FOREVER, essential: false, healthCheck: PASS }),
    ]);
    const settled = await waitFor(h.engine, t.taskId, (x) => byName(x, 'side').healthStatus === 'HEALTHY');
    expect(byName(settled, 'app').healthStatus).toBe('UNKNOWN');
    expect(settled.healthStatus).toBe('UNKNOWN');
    await stop(t.taskId);
  });

  test('task health: one UNHEALTHY essential container wins over a HEALTHY one', async () => {
    const t = await start('health-mixed', [
      container('good', { ...FOREVER, healthCheck: PASS }),
      container('bad', { ...FOREVER, healthCheck: FAIL }),
    ]);
    const settled = await waitFor(
      h.engine,
      t.taskId,
      (x) => byName(x, 'good').healthStatus === 'HEALTHY' && byName(x, 'bad').healthStatus === 'UNHEALTHY',
    );
    expect(settled.healthStatus).toBe('UNHEALTHY');
    await stop(t.taskId);
  });

  test("the image's HEALTHCHECK is ignored: no task-definition check → UNKNOWN and no Docker health at all", async () => {
    const t = await start('health-image-ignored', [container('app', { ...FOREVER, image: IMAGECHECK })]);
    const up = await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
    const info = await h.docker.getContainer(byName(up, 'app').runtimeId!).inspect();
    expect(info.Config.Healthcheck?.Test).toEqual(['NONE']);
    // The image check (exit 1 every second) would have turned it unhealthy by now.
    await sleep(2500);
    const later = await h.docker.getContainer(byName(up, 'app').runtimeId!).inspect();
    expect(later.State.Health).toBeUndefined();
    const still = h.engine.describeTask(t.taskId)!;
    expect(byName(still, 'app').healthStatus).toBe('UNKNOWN');
    expect(still.healthStatus).toBe('UNKNOWN');
    expect(h.engine.healthProbes(t.taskId).app).toEqual([]);
    await stop(t.taskId);
  });

  test("the image's HEALTHCHECK is overridden by a passing task-definition check → HEALTHY", async () => {
    const t = await start('health-image-override', [
      container('app', { ...FOREVER, image: IMAGECHECK, healthCheck: PASS }),
    ]);
    const up = await waitFor(h.engine, t.taskId, (x) => byName(x, 'app').healthStatus === 'HEALTHY');
    await sleep(1500);
    expect(byName(h.engine.describeTask(t.taskId)!, 'app').healthStatus).toBe('HEALTHY');
    const info = await h.docker.getContainer(byName(up, 'app').runtimeId!).inspect();
    expect(info.Config.Healthcheck?.Test).toEqual(['CMD-SHELL', 'true']);
    expect(h.engine.healthProbes(t.taskId).app!.every((p) => p.exitCode === 0)).toBe(true);
    await stop(t.taskId);
  });

  test('CMD is the exec form (no shell), CMD-SHELL runs through the shell; every probe is kept (Docker keeps five)', async () => {
    const t = await start('health-forms', [
      container('exec', { ...FOREVER, healthCheck: check(['CMD', 'echo', '$HOME']) }),
      container('shell', { ...FOREVER, healthCheck: check(['CMD-SHELL', 'echo $HOME; exit 0']) }),
    ]);
    await waitFor(h.engine, t.taskId, (x) => x.healthStatus === 'HEALTHY');
    const enough = () => {
      const p = h.engine.healthProbes(t.taskId);
      return (p.exec?.length ?? 0) >= 9 && (p.shell?.length ?? 0) >= 9;
    };
    const deadline = Date.now() + 20_000;
    while (!enough() && Date.now() < deadline) await sleep(250);
    const running = h.engine.describeTask(t.taskId)!;
    const dockerLog =
      (await h.docker.getContainer(byName(running, 'exec').runtimeId!).inspect()).State.Health?.Log ?? [];
    expect(dockerLog.length).toBeLessThanOrEqual(5);
    await stop(t.taskId);

    // Kept after the task stopped, too.
    const probes = h.engine.healthProbes(t.taskId);
    for (const [name, output] of [
      ['exec', '$HOME\n'],
      ['shell', '/root\n'],
    ] as const) {
      const list = probes[name]!;
      expect(list.length).toBeGreaterThanOrEqual(8);
      for (const p of list) {
        expect(p.exitCode).toBe(0);
        expect(p.output).toBe(output);
        expect(Date.parse(p.start)).toBeLessThanOrEqual(Date.parse(p.end));
      }
      const starts = list.map((p) => p.start);
      expect(new Set(starts).size).toBe(starts.length);
      expect(starts).toEqual([...starts].sort());
    }
  });

  test('a probe that exceeds its timeout counts as failed', async () => {
    const t = await start('health-timeout', [
      container('app', { ...FOREVER, healthCheck: check(['CMD-SHELL', 'sleep 5'], { timeout: 1 }) }),
    ]);
    await waitFor(h.engine, t.taskId, (x) => x.healthStatus === 'UNHEALTHY', 20_000);
    await stop(t.taskId);
    const probes = h.engine.healthProbes(t.taskId).app!;
    expect(probes.length).toBeGreaterThanOrEqual(1);
    expect(probes[0]!.exitCode).not.toBe(0);
    expect(probes[0]!.output).toMatch(/timeout/i);
  });
});
