/**
 * Terminal resizes reach Docker one at a time, newest size last: two resize calls in flight can be
 * applied out of order by dockerd (seen under load: `stty cols 120 rows 40` ended at 30 rows).
 */
import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { startExecProcess, type ExecDocker } from './exec-process.js';

test('a burst of resizes sends one call at a time and ends with the newest size', async () => {
  const sent: { h: number; w: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const answers: (() => void)[] = [];
  const exec = {
    id: 'e1',
    start: async () => new PassThrough(),
    inspect: async () => ({ ExitCode: 0 }),
    resize: (size: { h: number; w: number }) => {
      sent.push(size);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<void>((resolve) =>
        answers.push(() => {
          inFlight--;
          resolve();
        }),
      );
    },
  };
  const docker = {
    getContainer: () => ({ exec: async () => exec }),
    modem: { demuxStream: () => undefined },
  } as unknown as ExecDocker;
  const proc = await startExecProcess(
    docker,
    'c1',
    { command: ['sh'], tty: true },
    {
      stdout: () => undefined,
      stderr: () => undefined,
    },
  );
  const first = proc.resize(100, 30);
  const second = proc.resize(120, 30);
  const third = proc.resize(120, 40);
  // One call out; the newer sizes wait for it, and only the newest is sent next.
  expect(sent).toEqual([{ h: 30, w: 100 }]);
  answers.shift()!();
  await new Promise((r) => setImmediate(r));
  expect(sent).toEqual([
    { h: 30, w: 100 },
    { h: 40, w: 120 },
  ]);
  answers.shift()!();
  await Promise.all([first, second, third]);
  expect(maxInFlight).toBe(1);
});
