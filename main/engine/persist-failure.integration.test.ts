/**
 * A record write that fails (disk full, data dir gone) is reported, never left as an unhandled
 * rejection (which would end the process): the task itself carries on and stops cleanly.
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import type { LogLine } from '../../contract/dto.js';
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

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngine();
});
afterAll(async () => h?.close());

test('a failing record write is logged with the task id, not an unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  let restore: (() => Promise<void>) | undefined;
  try {
    const started = new Promise<void>((resolve) => {
      const off = h.engine.on('logs', (lines: readonly LogLine[]) => {
        if (lines.some((l) => l.text === 'started')) resolve(off());
      });
    });
    const t = await h.engine.runTask({
      taskDefinition: taskDef('persist-failure', [
        container('app', { command: ['sh', '-c', `echo started; ${FOREVER}`] }),
      ]),
    });
    await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
    await started;
    // The log and event files are open now (the line reached the file), so moving the folder away
    // makes only the record writes (tmp file + rename inside the folder) fail, with ENOENT.
    expect((await h.engine.logs(t.taskId)).map((l) => l.text)).toContain('started');
    const taskDir = join(h.dataDir, 'tasks', t.taskId);
    await rename(taskDir, `${taskDir}.moved`);
    restore = () => rename(`${taskDir}.moved`, taskDir);

    await h.engine.stopTask(t.taskId, 'done');
    expect((await h.engine.waitForStopped(t.taskId)).lastStatus).toBe('STOPPED');
    await vi.waitFor(() => expect(errors.mock.calls.flat().join(' ')).toContain(t.taskId), {
      timeout: 10_000,
    });
    // One more turn of the event loop: Node reports an unhandled rejection after the microtasks.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  } finally {
    await restore?.();
    process.off('unhandledRejection', onUnhandled);
    errors.mockRestore();
  }
});
