/**
 * A task actor built directly on FakeDocker (no engine): re-adoption when the task already has
 * other work under way.
 */
import { afterEach, expect, it } from 'vitest';
import { FakeDocker } from '../docker/fake-docker.js';
import type { DockerEvent } from '../docker/docker-events.js';
import { startFakeEngine, type FakeEngineHarness } from '../test-support/fake-engine.js';
import { container, taskDef, TEST_IMAGE } from '../test-support/task-def-builders.js';
import { ImagePuller } from './image-puller.js';
import { NO_LAUNCH_HOOKS } from './launch-hooks.js';
import { recordFromLabels } from './record-from-labels.js';
import { TaskRunner } from './task-runner.js';

let h: FakeEngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('an adoption asked for while an exit seen before it is being cleaned up resolves', async () => {
  const docker = new FakeDocker();
  h = await startFakeEngine(docker);
  const task = await h.engine.runTask({ taskDefinition: taskDef('adopt-busy', [container('app')]) });
  await h.waitFor((t) => t.taskId === task.taskId && t.lastStatus === 'RUNNING', 'RUNNING');
  await h.engine.close();
  const app = [...docker.containers.values()][0]!;
  const info = await docker.getContainer(app.id).inspect();
  // FakeDocker's inspect has no HostConfig; the record is rebuilt as for a bridge task.
  const rt = recordFromLabels([{ ...info, HostConfig: { NetworkMode: 'bridge' } }], 0)!;
  const runner = new TaskRunner(rt, {
    docker,
    puller: new ImagePuller(docker, new Set()),
    pauseImage: TEST_IMAGE,
    hooks: NO_LAUNCH_HOOKS,
    onChange: () => {},
    onPersist: () => {},
    onLogs: () => {},
    onPull: () => {},
  });
  // The container exits before the adoption begins (an event while the engine still loads): the
  // actor stops the task and its cleanup is under way when the adoption is asked for.
  docker.exit(app.id, 3);
  const die: DockerEvent = {
    Type: 'container',
    Action: 'die',
    id: app.id,
    Actor: { ID: app.id, Attributes: { ...app.labels, exitCode: '3' } },
    time: Math.floor(Date.now() / 1000),
    timeNano: Date.now() * 1e6,
  };
  runner.onDockerEvent(die);
  await runner.adopt();
  const done = await runner.whenStopped();
  expect(done.stopCode).toBe('EssentialContainerExited');
  expect(done.containers[0]).toMatchObject({ lastStatus: 'STOPPED', exitCode: 3 });
  runner.detach();
});
