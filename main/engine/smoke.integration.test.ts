import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  container,
  FOREVER,
  leftovers,
  NOTHING_LEFT,
  sh,
  startEngine,
  taskDef,
  type EngineHarness,
} from '../test-support/engine-fixture.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngine();
});
afterAll(async () => h?.close());

test('a single essential container runs to completion', async () => {
  const t = await h.engine.runTask({
    taskDefinition: taskDef('smoke', [
      container('app', { command: ['sh', '-c', 'echo hello; echo oops >&2; exit 3'] }),
    ]),
  });
  const done = await h.engine.waitForStopped(t.taskId);
  expect(done.lastStatus).toBe('STOPPED');
  expect(done.stopCode).toBe('EssentialContainerExited');
  expect(done.containers[0]?.exitCode).toBe(3);
  const logs = await h.engine.logs(t.taskId);
  expect(logs.map((l) => `${l.stream}:${l.text}`).sort()).toEqual(['stderr:oops', 'stdout:hello']);
  const statuses = (await h.engine.events(t.taskId)).map((e) => e.detail.lastStatus);
  expect(statuses).toContain('PENDING');
  expect(statuses).toContain('RUNNING');
  expect(statuses.at(-1)).toBe('STOPPED');
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
});

test('every new health probe is pushed as it is recorded', async () => {
  const pushed: string[] = [];
  let twoPushed: () => void = () => undefined;
  const two = new Promise<void>((resolve) => (twoPushed = resolve));
  const off = h.engine.on('probes', (_taskId, container, probes) => {
    pushed.push(...probes.map((p) => `${container}:${p.exitCode}`));
    if (pushed.length >= 2) twoPushed();
  });
  // The container runs until stopped, and a probe may take long on a loaded machine: a probe that
  // races the container's exit, or times out, would fail for reasons this test is not about.
  const t = await h.engine.runTask({
    taskDefinition: taskDef('probe-push', [
      container('app', {
        ...sh(FOREVER),
        healthCheck: { command: ['CMD-SHELL', 'true'], interval: 1, timeout: 30, retries: 3, startPeriod: 0 },
      }),
    ]),
  });
  await two;
  const beforeStop = pushed.length;
  await h.engine.stopTask(t.taskId);
  await h.engine.waitForStopped(t.taskId);
  off();
  expect(pushed.length).toBeGreaterThanOrEqual(2);
  expect(pushed.slice(0, beforeStop).every((p) => p === 'app:0')).toBe(true);
  // What was pushed is exactly what the history holds (nothing twice).
  expect(h.engine.healthProbes(t.taskId).app?.length).toBe(pushed.length);
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
});
