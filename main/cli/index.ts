/**
 * The `taskdeck` CLI entry: builds the commander program and runs it on import (bin/taskdeck.js
 * imports this file, or its built copy out/main/cli.js). Usage errors (unknown command, missing
 * argument, unknown option, no command) print usage on stderr and exit 2. Exit codes are set
 * through `process.exitCode` so buffered output is flushed before the process ends.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerExecCommand } from './exec-command.js';
import { registerGcCommand } from './gc-command.js';
import { registerRunCommand } from './run-command.js';
import { registerServiceCommand } from './service-command.js';
import { EXIT_INVALID, registerValidateCommand } from './validate-command.js';
import { registerWebCommand } from './web-command.js';

/** The version from package.json (two levels up both from main/cli/ and from out/main/). */
export function readVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('taskdeck')
    .description('Run Amazon ECS task definitions on a local Docker engine and see what happens.')
    .version(readVersion())
    .exitOverride()
    .showHelpAfterError(true);
  registerValidateCommand(program);
  registerRunCommand(program);
  registerWebCommand(program);
  registerExecCommand(program);
  registerGcCommand(program);
  registerServiceCommand(program);
  return program;
}

/** Runs the CLI on `argv` (process.argv layout); resolves with the exit code to use. */
export async function runCli(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; everything else commander refuses is a usage error.
      return error.exitCode === 0 ? 0 : EXIT_INVALID;
    }
    process.stderr.write(`taskdeck: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

const exitCode = await runCli(process.argv);
// Exit once stdout and stderr are flushed: idle keep-alive sockets to the Docker daemon would
// otherwise hold the process open for several seconds after the work is done.
await Promise.all(
  [process.stdout, process.stderr].map((s) => new Promise((resolve) => s.write('', resolve))),
);
process.exit(exitCode);
