import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  container,
  leftovers,
  NOTHING_LEFT,
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
