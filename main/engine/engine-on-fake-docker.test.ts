/**
 * The engine's transitions against a FakeDocker (no daemon, milliseconds): the happy path, Docker
 * refusing a create, a stop lost to a disconnect, and events arriving out of order. The same rules
 * are exercised on real Docker by the *.integration.test.ts files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskDetail } from '../../contract/dto.js';
import { dockerError } from '../docker/fake-docker.js';
import { startFakeEngine, type FakeEngineHarness } from '../test-support/fake-engine.js';
import { container, taskDef } from '../test-support/task-def-builders.js';
import { taskStatusRank } from './status.js';

let h: FakeEngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const running = (id: string) => (t: TaskDetail) => t.taskId === id && t.lastStatus === 'RUNNING';
const stopped = (id: string) => (t: TaskDetail) => t.taskId === id && t.lastStatus === 'STOPPED';

function statuses(harness: FakeEngineHarness, taskId: string): string[] {
  return harness.pushes.filter((p) => p.task.taskId === taskId).map((p) => p.task.lastStatus);
}

describe('engine on FakeDocker', () => {
  it('runs a task to RUNNING, stops it, and cleans up what it created', async () => {
    h = await startFakeEngine();
    const task = await h.engine.runTask({ taskDefinition: taskDef('happy', [container('app')]) });
    await h.waitFor(running(task.taskId), 'RUNNING');
    expect(h.docker.container(`${task.containers[0]!.runtimeId ?? ''}`)).toBeUndefined();
    const app = [...h.docker.containers.values()].find(
      (c) => c.labels['com.amazonaws.ecs.container-name'] === 'app',
    );
    expect(app?.state).toBe('running');

    await h.engine.stopTask(task.taskId);
    const done = await h.engine.waitForStopped(task.taskId);
    expect(done.stopCode).toBe('UserInitiated');
    expect(done.containers[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 143 });
    expect(statuses(h, task.taskId)).toEqual(
      expect.arrayContaining(['PROVISIONING', 'PENDING', 'RUNNING', 'STOPPING', 'STOPPED']),
    );
    // keep is false: the container is removed once the task stopped.
    expect(h.docker.containers.size).toBe(0);
  });

  it('keeps RunTask startedBy on the task and its events; refuses one ECS would refuse, creating nothing', async () => {
    h = await startFakeEngine();
    const task = await h.engine.runTask({
      taskDefinition: taskDef('by', [container('app')]),
      startedBy: 'ecs-svc/1234567890123456789',
    });
    expect(task.startedBy).toBe('ecs-svc/1234567890123456789');
    await h.waitFor(running(task.taskId), 'RUNNING');
    const events = h.pushes.filter((p) => p.task.taskId === task.taskId);
    expect(events.every((p) => p.event.detail.startedBy === 'ecs-svc/1234567890123456789')).toBe(true);
    const plain = await h.engine.runTask({ taskDefinition: taskDef('plain', [container('app')]) });
    expect('startedBy' in plain).toBe(false);
    const before = h.engine.listTasks().length;
    for (const bad of ['', 'x'.repeat(129), 'has space', 'semi;colon'])
      await expect(
        h.engine.runTask({ taskDefinition: taskDef('bad', [container('app')]), startedBy: bad }),
      ).rejects.toThrow(/^startedBy: up to 128 letters/);
    expect(h.engine.listTasks()).toHaveLength(before);
    await h.engine.stopAll('test');
  });

  it('reports Docker refusing a create as TaskFailedToStart, naming the container', async () => {
    h = await startFakeEngine();
    h.docker.failNext('createContainer', dockerError(500, 'invalid mount config for type "bind"'));
    const task = await h.engine.runTask({
      taskDefinition: taskDef('badcreate', [container('web', { essential: false }), container('db')]),
    });
    const done = await h.engine.waitForStopped(task.taskId);
    expect(done.stopCode).toBe('TaskFailedToStart');
    expect(done.stoppedReason).toBe('CannotCreateContainerError: invalid mount config for type "bind"');
    expect(done.stoppedBy).toBe('web');
    expect(done.containers.find((c) => c.name === 'web')?.reason).toBe(done.stoppedReason);
    expect(h.docker.containers.size).toBe(0);
  });

  it('retries a stop that failed while Docker was unreachable, once it answers again', async () => {
    h = await startFakeEngine();
    const task = await h.engine.runTask({ taskDefinition: taskDef('outage', [container('app')]) });
    await h.waitFor(running(task.taskId), 'RUNNING');
    h.docker.disconnect();
    const stopCalled = h.docker.whenCalled('stop');
    await h.engine.stopTask(task.taskId);
    await stopCalled;
    const failed = h.engine.describeTask(task.taskId)!.containers[0]!;
    expect(failed.phases.at(-1)?.detail).toBe(
      'stop failed, will retry: connect ECONNREFUSED /var/run/docker.sock',
    );
    expect(h.docker.container(failed.runtimeId!)?.state).toBe('running');
    h.docker.reconnect();
    const done = await h.waitFor(stopped(task.taskId), 'STOPPED after reconnecting');
    expect(done.containers[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 143 });
    expect(h.docker.calls.filter((c) => c.startsWith('stop ')).length).toBeGreaterThanOrEqual(2);
  });

  it('keeps state consistent when Docker events arrive in reverse order', async () => {
    h = await startFakeEngine();
    h.docker.holdEvents();
    const task = await h.engine.runTask({ taskDefinition: taskDef('reorder', [container('app')]) });
    // The start call's own result reports the container running (its event is held).
    await h.waitFor(running(task.taskId), 'RUNNING without events');
    const app = [...h.docker.containers.values()][0]!;
    h.docker.exit(app.id, 3);
    // die, then start, then create.
    h.docker.releaseEvents();
    const done = await h.engine.waitForStopped(task.taskId);
    expect(done.stopCode).toBe('EssentialContainerExited');
    expect(done.containers[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 3 });
    // The late `start` did not revive the container, and the task's status never went back.
    const ranks = statuses(h, task.taskId).map((s) => taskStatusRank(s as TaskDetail['lastStatus']));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const phases = done.containers[0]!.phases.map((p) => p.phase);
    expect(phases.lastIndexOf('RUNNING')).toBeLessThan(phases.indexOf('STOPPED'));
  });

  it('follows Docker health events: HEALTHY, then UNKNOWN once the container stopped', async () => {
    h = await startFakeEngine();
    const healthCheck = {
      command: ['CMD-SHELL', 'true'],
      interval: 5,
      timeout: 5,
      retries: 3,
      startPeriod: 0,
    };
    const task = await h.engine.runTask({
      taskDefinition: taskDef('health', [container('app', { healthCheck })]),
    });
    await h.waitFor(running(task.taskId), 'RUNNING');
    const app = [...h.docker.containers.values()][0]!;
    h.docker.emit(app, 'health_status: healthy');
    const up = await h.waitFor((t) => t.healthStatus === 'HEALTHY', 'HEALTHY');
    expect(up.containers[0]?.healthStatus).toBe('HEALTHY');
    await h.engine.stopTask(task.taskId);
    const done = await h.engine.waitForStopped(task.taskId);
    expect(done.containers[0]?.healthStatus).toBe('UNKNOWN');
    expect(done.healthStatus).toBe('UNKNOWN');
  });
});
