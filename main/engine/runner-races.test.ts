/**
 * Docker work still in flight when the task's desired state changes: the result arrives at an actor
 * that has moved on, and must neither revive the task nor leave anything behind (FakeDocker holds
 * the call until the test releases it).
 */
import { afterEach, expect, it } from 'vitest';
import type { TaskDetail } from '../../contract/dto.js';
import type { FakeOp } from '../docker/fake-docker.js';
import { startFakeEngine, type FakeEngineHarness } from '../test-support/fake-engine.js';
import { container, taskDef } from '../test-support/task-def-builders.js';
import { taskStatusRank } from './status.js';

let h: FakeEngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function monotonic(harness: FakeEngineHarness, taskId: string): void {
  const ranks = harness.pushes
    .filter((p) => p.task.taskId === taskId)
    .map((p) => taskStatusRank(p.task.lastStatus as TaskDetail['lastStatus']));
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
}

it.each<[FakeOp, string, string]>([
  ['pull', 'PULLED', 'not created'],
  ['createContainer', 'CREATED', 'never started'],
  ['start', 'RUNNING', 'exit 143'],
])('a stop while %s is in flight waits for it, then stops and cleans up', async (op, _phase, lastDetail) => {
  h = await startFakeEngine();
  const held = h.docker.hold(op);
  const called = h.docker.whenCalled(op);
  const task = await h.engine.runTask({ taskDefinition: taskDef(`race-${op}`, [container('app')]) });
  await called;
  await h.engine.stopTask(task.taskId);
  expect(h.engine.describeTask(task.taskId)?.lastStatus).toBe('STOPPING');
  held.release();
  const done = await h.engine.waitForStopped(task.taskId);
  expect(done.stopCode).toBe('UserInitiated');
  expect(done.containers[0]?.lastStatus).toBe('STOPPED');
  expect(done.containers[0]?.phases.at(-1)?.detail).toBe(lastDetail);
  monotonic(h, task.taskId);
  expect(h.docker.containers.size).toBe(0);
  expect(h.docker.calls.filter((c) => c.startsWith('start ')).length).toBe(op === 'start' ? 1 : 0);
});

it('a container that exits while its start call is still out is not revived by the late answer', async () => {
  h = await startFakeEngine();
  const held = h.docker.hold('start');
  const called = h.docker.whenCalled('start');
  const task = await h.engine.runTask({ taskDefinition: taskDef('late-start', [container('app')]) });
  await called;
  // Docker started it (events say so) and it exited at once; the start call answers afterwards.
  const app = [...h.docker.containers.values()][0]!;
  app.state = 'running';
  h.docker.emit(app, 'start');
  h.docker.exit(app.id, 1);
  held.release();
  const done = await h.engine.waitForStopped(task.taskId);
  expect(done.stopCode).toBe('EssentialContainerExited');
  expect(done.containers[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 1 });
  monotonic(h, task.taskId);
});

it('a forced stop while the stop call is still out kills at once; the late stop answer changes nothing', async () => {
  h = await startFakeEngine();
  const task = await h.engine.runTask({ taskDefinition: taskDef('force-race', [container('app')]) });
  await h.waitFor((t) => t.taskId === task.taskId && t.lastStatus === 'RUNNING', 'RUNNING');
  const held = h.docker.hold('stop');
  const stopCalled = h.docker.whenCalled('stop');
  await h.engine.stopTask(task.taskId);
  await stopCalled;
  await h.engine.stopTask(task.taskId, undefined, { force: true });
  const done = await h.engine.waitForStopped(task.taskId);
  expect(done.containers[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 137 });
  held.release();
  await new Promise((r) => setImmediate(r));
  expect(h.docker.calls.filter((c) => c.startsWith('kill ')).length).toBe(1);
  expect(h.docker.calls.filter((c) => c.startsWith('stop ')).length).toBe(1);
  expect(h.engine.describeTask(task.taskId)).toEqual(done);
  monotonic(h, task.taskId);
});
