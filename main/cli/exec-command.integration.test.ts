/**
 * `taskdeck exec` on real Docker, through real CLI processes: the task is started by another
 * process (`taskdeck run`), so exec finds it through Docker labels alone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ECS_LABEL_FAMILY } from '../engine/labels.js';
import { EXEC_NOT_ENABLED_MESSAGE } from '../exec/exec-errors.js';
import { FOREVER, labelledLeftovers, NOTHING_LEFT, TEST_IMAGE } from '../test-support/engine-fixture.js';

const docker = new Docker();
const BIN = join(import.meta.dirname, '../../bin/taskdeck.js');
const FAMILY = 'cli-exec';
let dir: string;

interface Started {
  readonly child: ChildProcess;
  readonly taskId: string;
  readonly taskArn: string;
  readonly done: Promise<number | null>;
}

/** `taskdeck run --json [flags]` in the background; resolves once the task is RUNNING. */
function startRun(file: string, flags: string[]): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', file, '--json', ...flags], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const done = new Promise<number | null>((r) => child.on('close', r));
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      for (const line of stdout.split('\n').slice(0, -1)) {
        const event = JSON.parse(line) as { detail: { taskArn: string; lastStatus: string } };
        if (event.detail.lastStatus === 'RUNNING') {
          const taskArn = event.detail.taskArn;
          resolve({ child, taskArn, taskId: taskArn.slice(taskArn.lastIndexOf('/') + 1), done });
          return;
        }
      }
    });
    done
      .then((code) => reject(new Error(`taskdeck run exited ${code} before RUNNING:\n${stderr}`)))
      .catch(reject);
  });
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `taskdeck exec …` with `input` piped to stdin (so stdin is not a TTY). */
function exec(args: string[], input = ''): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'exec', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

let enabled: Started;
let disabled: Started;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskdeck-cli-exec-'));
  const file = join(dir, 'def.json');
  await writeFile(
    file,
    JSON.stringify({
      family: FAMILY,
      containerDefinitions: [
        { name: 'app', image: TEST_IMAGE, memoryReservation: 64, command: ['sh', '-c', FOREVER] },
      ],
    }),
  );
  [enabled, disabled] = await Promise.all([
    startRun(file, ['--enable-execute-command', '--pull-behavior', 'prefer-cached']),
    startRun(file, ['--pull-behavior', 'prefer-cached']),
  ]);
}, 120_000);

afterAll(async () => {
  for (const run of [enabled, disabled]) {
    if (!run) continue;
    run.child.kill('SIGINT');
    expect(await run.done).toBe(130);
  }
  expect(await labelledLeftovers(docker, `${ECS_LABEL_FAMILY}=${FAMILY}`)).toEqual(NOTHING_LEFT);
  await rm(dir, { recursive: true, force: true });
}, 120_000);

test('without a TTY, stdout, stderr and the exit code pass through (task found by id from another process)', async () => {
  const r = await exec([enabled.taskId, 'app', '--command', "sh -c 'echo out; echo err >&2; exit 3'"]);
  expect(r).toEqual({ code: 3, stdout: 'out\n', stderr: 'err\n' });
});

test('stdin is piped through and its end is passed on; the task ARN works too', async () => {
  const r = await exec([enabled.taskArn, 'app', '--command', "sh -c 'cat; exit 5'"], 'hello\nworld\n');
  expect(r).toEqual({ code: 5, stdout: 'hello\nworld\n', stderr: '' });
});

test('the shell sees the container environment, metadata endpoint included; --command defaults to /bin/sh', async () => {
  const r = await exec([enabled.taskId, 'app'], 'echo "$ECS_CONTAINER_METADATA_URI_V4"\n');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^http:\/\/169\.254\.170\.2\/v4\/\S+\n$/);
});

test('a task run without --enable-execute-command is refused with the ECS error, exit 254', async () => {
  const r = await exec([disabled.taskId, 'app', '--command', 'echo hi']);
  expect(r).toEqual({ code: 254, stdout: '', stderr: `\n${EXEC_NOT_ENABLED_MESSAGE}\n` });
});

test('an unknown task or container is refused with exit 254 and says what exists', async () => {
  const unknown = await exec(['0123456789abcdef0123456789abcdef', 'app']);
  expect(unknown.code).toBe(254);
  expect(unknown.stderr).toContain('No task "0123456789abcdef0123456789abcdef"');
  const noContainer = await exec([enabled.taskId, 'web']);
  expect(noContainer.code).toBe(254);
  expect(noContainer.stderr).toContain(`Task ${enabled.taskId} has no container "web" (containers: app)`);
  const badCommand = await exec([enabled.taskId, 'app', '--command', "sh -c 'oops"]);
  expect(badCommand.code).toBe(2);
});

test('with a TTY: an interactive shell sized like the terminal, resized with it (SIGWINCH), exit code passed through', async () => {
  // `script` gives the CLI a real pseudo-terminal; `tty` names it so the test can resize it.
  const inner = `tty; stty cols 100 rows 30; exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} exec ${enabled.taskId} app`;
  const child = spawn('script', ['-qfec', inner, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const done = new Promise<number | null>((r) => child.on('close', r));
  let out = '';
  const waiters = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of [...waiters]) w();
  });
  const waitFor = (re: RegExp): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${String(re)} in ${JSON.stringify(out)}`));
      }, 60_000);
      const check = (): void => {
        const m = out.match(re);
        if (m) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(m);
        }
      };
      waiters.add(check);
      check();
    });
  const pts = (await waitFor(/(\/dev\/pts\/\d+)/))[1]!;
  await waitFor(/\/ # /);
  child.stdin.write('stty size\n');
  await waitFor(/30 100\r*\n/);
  // Changing the pty's size makes the kernel send SIGWINCH to the CLI.
  await new Promise<void>((resolve, reject) =>
    spawn('stty', ['-F', pts, 'cols', '120', 'rows', '40']).on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`stty -F ${pts} exited ${code}`)),
    ),
  );
  child.stdin.write('stty size\n');
  await waitFor(/40 120\r*\n/);
  child.stdin.write('exit 4\n');
  expect(await done).toBe(4);
});
