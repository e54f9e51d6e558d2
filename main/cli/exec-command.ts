/**
 * `taskdeck exec TASK CONTAINER [--command CMD]`: `aws ecs execute-command` for local tasks.
 * TASK is a task id or ARN; the container is found through Docker labels, so a task started by any
 * Taskdeck process (`taskdeck run`, the app, web mode) can be reached. Contract:
 *  - stdin a TTY → an interactive session: raw mode, a pseudo-terminal sized like this one and
 *    resized with it (SIGWINCH);
 *  - otherwise stdin, stdout and stderr are piped (stdout and stderr kept apart);
 *  - exit: the command's exit code; 254 when the exec is refused (task or container not found, not
 *    running, or the task was not run with `enableExecuteCommand`: ECS's message, as the AWS CLI v2
 *    exits 254 when the service answers with an error); 255 when Docker cannot be reached;
 *    2 for a malformed --command.
 */
import type { Command } from 'commander';
import { connectDocker } from '../docker/connect.js';
import { resolveDockerConnection } from '../docker/connection.js';
import { ExecError } from '../exec/exec-errors.js';
import { startExecProcess } from '../exec/exec-process.js';
import { findExecTarget } from '../exec/exec-target.js';
import { splitCommand } from '../exec/split-command.js';

/** The exec was refused (the AWS CLI v2's code for an error answered by the service). */
export const EXIT_EXEC_REFUSED = 254;
/** Docker could not be reached, or the exec failed unexpectedly. */
export const EXIT_EXEC_FAILED = 255;
const EXIT_USAGE = 2;

interface ExecOptions {
  command: string;
}

/** Registers `taskdeck exec`. */
export function registerExecCommand(program: Command): void {
  program
    .command('exec')
    .description('run a command (default: a shell) in a container of a running task, like ECS Exec')
    .argument('<task>', 'task id or task ARN')
    .argument('<container>', 'container name')
    .option(
      '--command <command>',
      'the command to run (split into words like a shell; no shell features)',
      '/bin/sh',
    )
    .action(async (task: string, container: string, opts: ExecOptions) => {
      process.exitCode = await execCommand(task, container, opts);
    });
}

async function execCommand(task: string, containerName: string, opts: ExecOptions): Promise<number> {
  const err = (s: string) => process.stderr.write(s);
  let command: string[];
  try {
    command = splitCommand(opts.command);
  } catch (e) {
    err(`taskdeck: --command: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  let docker;
  try {
    ({ docker } = await connectDocker(resolveDockerConnection(process.env)));
  } catch (e) {
    const hint = (e as { hint?: string }).hint;
    err(`taskdeck: ${(e as Error).message}\n${hint ? `  ${hint}\n` : ''}`);
    return EXIT_EXEC_FAILED;
  }
  try {
    const target = await findExecTarget(docker, task, containerName);
    const tty = process.stdin.isTTY === true;
    return tty
      ? await interactive(docker, target.containerId, command)
      : await piped(docker, target.containerId, command);
  } catch (e) {
    if (e instanceof ExecError) {
      // The AWS CLI prints the service error on a line of its own after a blank line.
      err(`\n${e.message}\n`);
      return EXIT_EXEC_REFUSED;
    }
    err(`taskdeck: exec failed: ${(e as Error).message}\n`);
    return EXIT_EXEC_FAILED;
  }
}

/** Without a TTY: stdin, stdout and stderr are passed through; EOF on stdin is passed on. */
async function piped(
  docker: Parameters<typeof startExecProcess>[0],
  containerId: string,
  command: readonly string[],
): Promise<number> {
  // A closed stdout (`| head`) must not kill the CLI before it reports the exit code.
  process.stdout.on('error', () => {});
  const proc = await startExecProcess(
    docker,
    containerId,
    { command, tty: false },
    { stdout: (c) => process.stdout.write(c), stderr: (c) => process.stderr.write(c) },
  );
  const onData = (chunk: Buffer): void => proc.write(chunk);
  const onEnd = (): void => proc.endInput();
  process.stdin.on('data', onData);
  process.stdin.once('end', onEnd);
  const code = await proc.exited;
  process.stdin.off('data', onData);
  process.stdin.off('end', onEnd);
  process.stdin.pause();
  return code ?? 1;
}

/** With a TTY: raw mode, the remote terminal follows this one's size. */
async function interactive(
  docker: Parameters<typeof startExecProcess>[0],
  containerId: string,
  command: readonly string[],
): Promise<number> {
  const out = process.stdout;
  const size = () => ({ cols: out.columns || 80, rows: out.rows || 24 });
  const proc = await startExecProcess(
    docker,
    containerId,
    { command, tty: true, ...size() },
    { stdout: (c) => out.write(c), stderr: (c) => process.stderr.write(c) },
  );
  const stdin = process.stdin;
  stdin.setRawMode(true);
  const onData = (chunk: Buffer): void => proc.write(chunk);
  const onResize = (): void => {
    const { cols, rows } = size();
    // resize() swallows its own errors (a gone process has no size); the catch keeps lint honest.
    proc.resize(cols, rows).catch(() => undefined);
  };
  stdin.on('data', onData);
  stdin.resume();
  // Node emits 'resize' on a TTY stdout when the process gets SIGWINCH.
  out.on('resize', onResize);
  try {
    const code = await proc.exited;
    return code ?? 1;
  } finally {
    out.off('resize', onResize);
    stdin.off('data', onData);
    stdin.setRawMode(false);
    stdin.pause();
  }
}
