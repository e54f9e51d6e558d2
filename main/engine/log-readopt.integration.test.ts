/**
 * Issue 11 (9): output printed while Taskdeck was down is read on re-adoption, exactly once, for
 * containers still running and for containers that exited meanwhile; sequence numbers continue
 * from the stored ones (the record is saved only on state changes, so after a crash it cannot say
 * where they end).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { LogLine } from '../../contract/dto.js';
import {
  container,
  leftovers,
  nextLogLine,
  NOTHING_LEFT,
  startEngine,
  taskDef,
  TEST_IMAGE,
  waitFor,
  type EngineHarness,
} from '../test-support/engine-fixture.js';
import type { TaskEngineApi } from './engine-api.js';
import { createTaskEngine } from './task-engine.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngine();
});
afterAll(async () => h?.close());

/** Resolves once a pushed line of the task satisfies `pred`. */

const numbered = (logs: readonly LogLine[], c: string, prefix: string) =>
  logs
    .filter((l) => l.container === c && l.text.startsWith(prefix))
    .map((l) => Number(l.text.slice(prefix.length)));

test('re-adoption reads what was printed meanwhile exactly once, with fresh sequence numbers', async () => {
  const t = await h.engine.runTask({
    taskDefinition: taskDef('log-readopt', [
      container('app', {
        command: [
          'sh',
          '-c',
          'i=0; trap "echo bye; exit 0" TERM; while true; do i=$((i+1)); echo "tick $i"; sleep 0.05; done',
        ],
      }),
      // Prints, is told (by a file appearing) that the engine is down, prints more, exits.
      container('side', {
        essential: false,
        command: [
          'sh',
          '-c',
          'i=0; while [ ! -e /tmp/go ]; do i=$((i+1)); echo "side $i"; sleep 0.1; done; ' +
            'for j in 1 2 3 4 5 6 7 8 9 10; do i=$((i+1)); echo "side $i"; done; echo "side done"',
        ],
      }),
    ]),
  });
  await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
  // Many lines stored (and sequence numbers used) after the last state change.
  await nextLogLine(h.engine, t.taskId, (l) => l.text === 'tick 40', 'tick 40');
  const before = await h.engine.logs(t.taskId);

  // As after a crash: the record on disk is the one saved at the last state change (log lines do
  // not save it), so it knows neither the last sequence number nor where each log ends.
  const recordFile = join(h.dataDir, 'tasks', t.taskId, 'record.json');
  const staleRecord = await readFile(recordFile, 'utf8');
  await h.engine.close(); // the tasks keep running
  await writeFile(recordFile, staleRecord);
  const ticksWhileDown = numbered(before, 'app', 'tick ').at(-1)! + 30;
  const sideId = (
    await h.docker.listContainers({ filters: { label: [`com.taskdeck.task-id=${t.taskId}`] } })
  ).find((c) => c.Labels['com.amazonaws.ecs.container-name'] === 'side')!.Id;
  const side = h.docker.getContainer(sideId);
  const exec = await side.exec({ Cmd: ['touch', '/tmp/go'] });
  await exec.start({});
  await side.wait();
  // Wait (on Docker, not a clock) until app printed well past what was stored.
  await waitForDockerLog(h, t.taskId, 'app', `tick ${ticksWhileDown}`);

  // A new engine on the same data dir (not h.restart(): closing again would save a fresh record).
  const engine = await createTaskEngine({ docker: h.docker, dataDir: h.dataDir, pauseImage: TEST_IMAGE });
  (h as { engine: TaskEngineApi }).engine = engine;
  await nextLogLine(
    engine,
    t.taskId,
    (l) => l.text === `tick ${ticksWhileDown + 20}`,
    'ticks after re-adoption',
  );
  await engine.stopTask(t.taskId, 'done');
  await engine.waitForStopped(t.taskId);

  const logs = await engine.logs(t.taskId);
  const ticks = numbered(logs, 'app', 'tick ');
  expect(ticks.length).toBeGreaterThanOrEqual(ticksWhileDown + 20);
  expect(ticks).toEqual(ticks.map((_, i) => i + 1)); // nothing lost, nothing twice
  const sides = numbered(logs, 'side', 'side ').filter(Number.isFinite);
  expect(sides).toEqual(sides.map((_, i) => i + 1));
  expect(logs.filter((l) => l.text === 'side done')).toHaveLength(1);
  expect(logs.at(-1)?.text).toBe('bye');
  const seqs = logs.map((l) => l.seq);
  for (let i = 1; i < seqs.length; i++) expect(seqs[i]!).toBeGreaterThan(seqs[i - 1]!);
  // The lines stored before the restart kept their numbers.
  expect(logs.slice(0, before.length)).toEqual(before);
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
});

/** Follows Docker's own log (the engine is down: no engine event to wait on) until `text` shows. */
async function waitForDockerLog(h: EngineHarness, taskId: string, name: string, text: string): Promise<void> {
  const found = await h.docker.listContainers({ filters: { label: [`com.taskdeck.task-id=${taskId}`] } });
  const id = found.find((c) => c.Labels['com.amazonaws.ecs.container-name'] === name)!.Id;
  const stream = (await h.docker
    .getContainer(id)
    .logs({ stdout: true, follow: true, tail: 10 })) as unknown as NodeJS.ReadableStream & {
    destroy(): void;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} never printed ${text}`)), 60_000);
      stream.on('data', (chunk: Buffer) => {
        if (!chunk.toString('latin1').includes(`${text}\n`)) return;
        clearTimeout(timer);
        resolve();
      });
    });
  } finally {
    stream.destroy();
  }
}
