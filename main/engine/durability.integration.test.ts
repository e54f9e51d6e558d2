/** Durability: records, events and logs persist; an engine restart re-adopts running tasks. */
import { afterAll, beforeAll, expect, test } from 'vitest';
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

test('a running task is re-adopted after a restart and carries on: logs, health, stop', async () => {
  const t = await h.engine.runTask({
    taskDefinition: taskDef('durable', [
      container('app', {
        command: [
          'sh',
          '-c',
          'i=0; trap "echo bye; exit 0" TERM; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done',
        ],
        healthCheck: { command: ['CMD-SHELL', 'true'], interval: 1, timeout: 2, retries: 3, startPeriod: 0 },
      }),
    ]),
  });
  await waitFor(h.engine, t.taskId, (x) => x.healthStatus === 'HEALTHY');
  const before = await h.engine.logs(t.taskId);
  const eventsBefore = (await h.engine.events(t.taskId)).length;
  const engine = await h.restart();
  const adopted = engine.describeTask(t.taskId);
  expect(adopted?.lastStatus).toBe('RUNNING');
  expect(byName(adopted!, 'app').healthStatus).toBe('HEALTHY');
  // Logs keep flowing into the same history, without duplicates.
  await new Promise((r) => setTimeout(r, 1500));
  await engine.stopTask(t.taskId, 'done');
  const done = await engine.waitForStopped(t.taskId);
  expect(done.stopCode).toBe('UserInitiated');
  expect(byName(done, 'app').exitCode).toBe(0);
  const logs = await engine.logs(t.taskId);
  expect(logs.length).toBeGreaterThan(before.length);
  const ticks = logs.filter((l) => l.text.startsWith('tick ')).map((l) => Number(l.text.slice(5)));
  expect(ticks).toEqual(ticks.map((_, i) => i + 1)); // no gap, no duplicate
  expect(logs.at(-1)?.text).toBe('bye');
  const events = await engine.events(t.taskId);
  expect(events.length).toBeGreaterThan(eventsBefore);
  expect(events.map((e) => e.detail.version)).toEqual(events.map((_, i) => i + 1));
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
});

test('a container that exits while the engine is down is noticed on restart and the task stops', async () => {
  const t = await h.engine.runTask({
    taskDefinition: taskDef('durable-exit', [
      container('app', { command: ['sh', '-c', 'sleep 1.5; exit 5'] }),
    ]),
  });
  await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
  await h.engine.close();
  await new Promise((r) => setTimeout(r, 2500));
  const engine = await h.restart().catch(async () => h.engine);
  const done = await engine.waitForStopped(t.taskId);
  expect(done.stopCode).toBe('EssentialContainerExited');
  expect(byName(done, 'app').exitCode).toBe(5);
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
});

test('stopped tasks, their events and logs survive a restart', async () => {
  const t = await h.engine.runTask({
    taskDefinition: taskDef('durable-history', [container('app', { command: ['echo', 'remember me'] })]),
  });
  await h.engine.waitForStopped(t.taskId);
  const engine = await h.restart();
  const again = engine.describeTask(t.taskId);
  expect(again?.lastStatus).toBe('STOPPED');
  expect(engine.listTasks().some((x) => x.taskId === t.taskId)).toBe(true);
  expect((await engine.logs(t.taskId)).map((l) => l.text)).toEqual(['remember me']);
  expect((await engine.events(t.taskId)).at(-1)?.detail.lastStatus).toBe('STOPPED');
});
