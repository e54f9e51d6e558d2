/**
 * Issue 11 (6): a dockerd restart cuts every log stream; with `--live-restore` the containers keep
 * printing. On a private dockerd this file starts and removes itself (never the shared daemon):
 * after Docker returns, the follower re-attaches from the last stored line, so the stored log holds
 * every number exactly once, in order.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { LogLine } from '../../contract/dto.js';
import type { TaskEngineApi } from './engine-api.js';
import { createTaskEngine } from './task-engine.js';
import { container, nextLogLine, taskDef, TEST_IMAGE, waitFor } from '../test-support/engine-fixture.js';
import { startSecondDockerd, type SecondDockerd } from '../test-support/second-dockerd.js';

let d: SecondDockerd;
let dataDir: string;
let engine: TaskEngineApi | undefined;

beforeAll(async () => {
  d = await startSecondDockerd();
  dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-logreattach-'));
}, 180_000);
afterAll(async () => {
  await engine?.close().catch(() => {});
  await d?.destroy();
  await rm(dataDir, { recursive: true, force: true });
}, 180_000);

/** Resolves once a pushed line satisfies `pred` (event-driven: the engine's `logs` event). */

const numberOf = (l: LogLine) => (/^n (\d+)$/.exec(l.text) ? Number(l.text.slice(2)) : undefined);

test('logs and stats re-attach after a dockerd restart: every line once, in order, none lost', async () => {
  engine = await createTaskEngine({ docker: d.docker, dataDir, pauseImage: TEST_IMAGE });
  const e = engine;
  // Several lines per timestamp burst: the boundary at a re-attach really has same-time neighbours.
  const script =
    'i=0; trap "exit 0" TERM; while true; do i=$((i+1)); echo "n $i"; ' +
    'if [ $((i % 5)) -eq 0 ]; then echo "e $i" >&2; sleep 0.05; fi; done';
  const t = await e.runTask({
    taskDefinition: taskDef('logreattach', [container('app', { command: ['sh', '-c', script] })]),
  });
  await waitFor(e, t.taskId, (x) => x.lastStatus === 'RUNNING');
  await nextLogLine(e, t.taskId, (l) => (numberOf(l) ?? 0) >= 50, 'the first 50 lines', 120_000);

  await d.stop();
  // The container runs on (live restore) and keeps printing while Docker is away.
  await new Promise((r) => setTimeout(r, 1000));
  const stored = await e.logs(t.taskId);
  const lastBefore = Math.max(...stored.map((l) => numberOf(l) ?? 0));
  await d.start();
  // Proof the follower is back: a number well past what was stored before the restart.
  await nextLogLine(
    e,
    t.taskId,
    (l) => (numberOf(l) ?? 0) >= lastBefore + 200,
    'lines after the restart',
    120_000,
  );

  // Its stats stream came back too: a sample taken after Docker returned.
  const back = Date.now();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('no stats sample within 60 s of Docker coming back'));
    }, 60_000);
    const off = e.on('stats', (taskId, _c, sample) => {
      if (taskId !== t.taskId || sample.t < back) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });

  await e.stopTask(t.taskId, 'done');
  await e.waitForStopped(t.taskId);
  const logs = await e.logs(t.taskId);
  const numbers = logs.map(numberOf).filter((n): n is number => n !== undefined);
  expect(numbers.length).toBeGreaterThanOrEqual(lastBefore + 200);
  expect(numbers).toEqual(numbers.map((_, i) => i + 1)); // no gap, no duplicate, in order
  const errs = logs.filter((l) => l.text.startsWith('e ')).map((l) => Number(l.text.slice(2)));
  expect(errs).toEqual(errs.map((_, i) => (i + 1) * 5));
  const seqs = logs.map((l) => l.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(seqs.length);
});
