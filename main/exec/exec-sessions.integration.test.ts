import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  container,
  FOREVER,
  leftovers,
  NOTHING_LEFT,
  startEngine,
  taskDef,
  waitFor,
  type EngineHarness,
} from '../test-support/engine-fixture.js';
import { EXEC_NOT_ENABLED_MESSAGE } from './exec-errors.js';
import { createExecSessions, type ExecSessions } from './exec-sessions.js';
import { createTestOwner } from './test-owner.js';

let h: EngineHarness;
let sessions: ExecSessions;
beforeAll(async () => {
  h = await startEngine();
  sessions = createExecSessions({ docker: () => h.docker, maxPerOwner: 3 });
});
afterAll(async () => {
  sessions?.closeAll('test teardown');
  await h?.close();
});

const runForever = async (family: string, enableExecuteCommand: boolean) => {
  const t = await h.engine.runTask({
    taskDefinition: taskDef(family, [container('app', { command: ['sh', '-c', FOREVER] })]),
    enableExecuteCommand,
  });
  return waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
};

test('two sessions at once, each with its own TTY; both end when the container stops', async () => {
  const task = await runForever('exec-two', true);
  expect(task.enableExecuteCommand).toBe(true);
  const owner = createTestOwner('window-1');
  const [a, b] = await Promise.all([
    sessions.start(owner, { task: task.taskId, container: 'app', command: ['/bin/sh'], cols: 90, rows: 20 }),
    sessions.start(owner, {
      task: task.taskArn,
      container: 'app',
      command: ['/bin/sh'],
      cols: 120,
      rows: 40,
    }),
  ]);
  expect(a.sessionId).not.toBe(b.sessionId);
  expect(a.sessionId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(b.taskId).toBe(task.taskId);

  sessions.input(owner.id, a.sessionId, 'echo "A=$((6*7))"; stty size\n');
  sessions.input(owner.id, b.sessionId, 'echo "B=$((7*7))"; stty size\n');
  await owner.waitForOutput(a.sessionId, /A=42\r\n20 90\r\n/);
  await owner.waitForOutput(b.sessionId, /B=49\r\n40 120\r\n/);
  expect(owner.output(a.sessionId)).not.toContain('B=49');

  await sessions.resize(owner.id, a.sessionId, 100, 33);
  sessions.input(owner.id, a.sessionId, 'stty size\n');
  await owner.waitForOutput(a.sessionId, /33 100\r\n/);

  // Another connection can neither write to, resize nor close these sessions.
  const other = createTestOwner('window-2');
  expect(() => sessions.input(other.id, a.sessionId, 'exit\n')).toThrow(`No exec session "${a.sessionId}"`);
  await expect(sessions.resize(other.id, a.sessionId, 10, 10)).rejects.toThrow('No exec session');
  expect(() => sessions.close(other.id, b.sessionId)).toThrow('No exec session');

  await h.engine.stopTask(task.taskId);
  const [endA, endB] = await Promise.all([owner.waitForExit(a.sessionId), owner.waitForExit(b.sessionId)]);
  expect(endA.exited).toBe(true);
  expect(endB.exited).toBe(true);
  expect(sessions.count()).toBe(0);
  await h.engine.waitForStopped(task.taskId);
  expect(await leftovers(h.docker, task.taskId)).toEqual(NOTHING_LEFT);
});

test('exit ends a session with its code; closing and disconnecting end the others; limits hold', async () => {
  const task = await runForever('exec-end', true);
  const owner = createTestOwner('window-3');
  const start = () =>
    sessions.start(owner, { task: task.taskId, container: 'app', command: ['/bin/sh'], cols: 80, rows: 24 });
  const one = await start();
  sessions.input(owner.id, one.sessionId, 'exit 7\n');
  expect((await owner.waitForExit(one.sessionId)).exitCode).toBe(7);

  const [two, three, four] = await Promise.all([start(), start(), start()]);
  await expect(start()).rejects.toThrow('At most 3 exec sessions per window');
  sessions.close(owner.id, two.sessionId);
  expect((await owner.waitForExit(two.sessionId)).reason).toBe('closed');
  owner.disconnect();
  const ends = await Promise.all([owner.waitForExit(three.sessionId), owner.waitForExit(four.sessionId)]);
  expect(ends.map((e) => e.reason)).toEqual(['the connection closed', 'the connection closed']);
  expect(sessions.count()).toBe(0);

  await h.engine.stopTask(task.taskId);
  await h.engine.waitForStopped(task.taskId);
  expect(await leftovers(h.docker, task.taskId)).toEqual(NOTHING_LEFT);
});

test('a task run without enableExecuteCommand is refused with the ECS error', async () => {
  const task = await runForever('exec-off', false);
  expect(task.enableExecuteCommand).toBe(false);
  const owner = createTestOwner('window-4');
  await expect(
    sessions.start(owner, { task: task.taskId, container: 'app', command: ['/bin/sh'], cols: 80, rows: 24 }),
  ).rejects.toThrow(EXEC_NOT_ENABLED_MESSAGE);
  await expect(
    sessions.start(owner, { task: task.taskId, container: 'nope', command: ['/bin/sh'], cols: 80, rows: 24 }),
  ).rejects.toThrow(`Task ${task.taskId} has no container "nope" (containers: app)`);
  await h.engine.stopTask(task.taskId);
  await h.engine.waitForStopped(task.taskId);
  await expect(
    sessions.start(owner, { task: task.taskId, container: 'app', command: ['/bin/sh'], cols: 80, rows: 24 }),
  ).rejects.toThrow(`No task "${task.taskId}"`);
  expect(await leftovers(h.docker, task.taskId)).toEqual(NOTHING_LEFT);
});
