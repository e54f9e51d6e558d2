/**
 * TaskDetail.version is one counter: what StopTask / DescribeTasks / ListTasks return and what the
 * pushes carry are comparable, so a client keeping the higher version (the renderer's mergeTasks)
 * always ends on the newest state.
 */
import { afterEach, expect, it } from 'vitest';
import { startFakeEngine, type FakeEngineHarness } from '../test-support/fake-engine.js';
import { container, taskDef } from '../test-support/task-def-builders.js';

let h: FakeEngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('orders stopTask’s answer and every push by version', async () => {
  h = await startFakeEngine();
  const task = await h.engine.runTask({
    taskDefinition: taskDef('versions', [container('app'), container('sidecar', { essential: false })]),
  });
  await h.waitFor((t) => t.taskId === task.taskId && t.lastStatus === 'RUNNING', 'RUNNING');
  const before = h.pushes.length;
  const answer = await h.engine.stopTask(task.taskId);
  const last = await h.engine.waitForStopped(task.taskId);

  const versions = h.pushes.map((p) => p.task.version);
  expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  for (const p of h.pushes.slice(0, before)) expect(p.task.version).toBeLessThan(answer.version);
  // The answer is the state the stop's own push announced; everything after it is newer.
  const announced = h.pushes.findIndex((p) => p.task.version === answer.version);
  expect(h.pushes[announced]?.task.lastStatus).toBe(answer.lastStatus);
  expect(h.pushes.length - 1).toBeGreaterThan(announced);
  for (const p of h.pushes.slice(announced + 1)) expect(p.task.version).toBeGreaterThan(answer.version);
  // The event's detail.version is the task's version, and the final state carries the highest.
  for (const p of h.pushes) expect(p.event.detail.version).toBe(p.task.version);
  expect(last.version).toBe(versions.at(-1));
  expect(h.engine.describeTask(task.taskId)?.version).toBe(last.version);
  expect(h.engine.listTasks()[0]?.version).toBe(last.version);
});
