/**
 * `taskdeck validate FILE`: parse and validate a task definition without touching Docker.
 * Valid → a one-screen summary on stdout, exit 0. Invalid or unreadable → every problem on
 * stderr, exit 2 (the usage/input error code shared by the whole CLI).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { isSyntaxIssue } from '../task-definition/json-location.js';
import { launchOrder } from '../task-definition/launch-order.js';
import type { DefinitionIssue, PortMapping, TaskDefinition } from '../task-definition/model.js';
import { parseTaskDefinition } from '../task-definition/parse-task-definition.js';
import { terminalSafe } from './terminal-safe.js';

/** Exit code for usage errors and invalid input. */
export const EXIT_INVALID = 2;

/** Registers `taskdeck validate <file>` on the program. */
export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('check a task definition file against the ECS rules and summarise it')
    .argument(
      '<file>',
      'task definition JSON: register-task-definition input, describe-task-definition output, or a containerDefinitions array',
    )
    .action(async (file: string) => {
      const outcome = await validateFile(file);
      if (outcome.stdout) process.stdout.write(outcome.stdout);
      if (outcome.stderr) process.stderr.write(outcome.stderr);
      process.exitCode = outcome.exitCode;
    });
}

/** What `validate` prints and returns; separated from process I/O for tests. */
export interface ValidateOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Reads and validates `file`, producing the command's output. */
export async function validateFile(file: string): Promise<ValidateOutcome> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return {
      exitCode: EXIT_INVALID,
      stdout: '',
      stderr: `taskdeck: cannot read ${terminalSafe(file)}: ${terminalSafe(readErrorReason(error))}\n`,
    };
  }
  const result = parseTaskDefinition(text, { fileName: file });
  if (result.ok) {
    return { exitCode: 0, stdout: formatSummary(file, result.taskDefinition, result.warnings), stderr: '' };
  }
  return { exitCode: EXIT_INVALID, stdout: '', stderr: formatErrors(file, result.errors, result.warnings) };
}

function readErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory, not a file';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * `  <path>: <message>`; syntax errors (no path) read `  <line>:<column>: <message>`. Paths and
 * messages quote the definition (names, keys, values), so both are made terminal-safe.
 */
export function formatIssue(issue: DefinitionIssue): string {
  const message = terminalSafe(issue.message);
  if (isSyntaxIssue(issue) && issue.line !== undefined)
    return `  ${issue.line}:${issue.column ?? 1}: ${message}`;
  return `  ${issue.path === '' ? '(root)' : terminalSafe(issue.path)}: ${message}`;
}

/** The stderr report of an invalid definition: every error, then any warnings. */
export function formatErrors(
  file: string,
  errors: readonly DefinitionIssue[],
  warnings: readonly DefinitionIssue[],
): string {
  const lines = [`${terminalSafe(file)} is not a valid task definition (${plural(errors.length, 'error')}):`];
  lines.push(...errors.map(formatIssue));
  if (warnings.length > 0) lines.push(`Warnings (${warnings.length}):`, ...warnings.map(formatIssue));
  return `${lines.join('\n')}\n`;
}

/** The one-screen summary of a valid definition (every value from the file made terminal-safe). */
export function formatSummary(
  file: string,
  task: TaskDefinition,
  warnings: readonly DefinitionIssue[],
): string {
  const lines = [
    `${terminalSafe(file)} is a valid task definition.`,
    `  Family:       ${terminalSafe(task.family)}`,
    `  Revision:     ${task.revision}`,
    `  Network mode: ${task.networkMode}`,
  ];
  if (task.cpu !== undefined || task.memory !== undefined) {
    const size = [
      task.cpu !== undefined ? `${task.cpu} CPU units` : '',
      task.memory !== undefined ? `${task.memory} MiB` : '',
    ];
    lines.push(`  Task size:    ${size.filter(Boolean).join(', ')}`);
  }
  lines.push(`Containers (${task.containerDefinitions.length}):`);
  const rows = task.containerDefinitions.map((container) => ({
    container,
    name: terminalSafe(container.name),
    image: terminalSafe(container.image),
  }));
  const width = Math.max(...rows.map((row) => row.name.length));
  const imageWidth = Math.max(...rows.map((row) => row.image.length));
  for (const { container, name, image } of rows) {
    const ports = container.portMappings.map(formatPort).join(' ') || 'none';
    lines.push(
      `  ${name.padEnd(width)}  ${image.padEnd(imageWidth)}  essential: ${yesNo(container.essential)}  health check: ${yesNo(container.healthCheck !== undefined)}  ports: ${ports}`.trimEnd(),
    );
  }
  lines.push(`Launch order: ${formatLaunchOrder(task)}`);
  if (warnings.length > 0) lines.push(`Warnings (${warnings.length}):`, ...warnings.map(formatIssue));
  else lines.push('No warnings.');
  return `${lines.join('\n')}\n`;
}

/** `db → migrate → app`; containers that may start together are joined: `db, cache → app`. */
export function formatLaunchOrder(task: TaskDefinition): string {
  return launchOrder(task)
    .map((level) => level.map(terminalSafe).join(', '))
    .join(' → ');
}

function formatPort(port: PortMapping): string {
  const host = port.hostPort ? `${port.hostPort}:` : '';
  const dynamic = port.hostPort ? '' : ' (dynamic host port)';
  return `${host}${port.containerPort}/${port.protocol}${dynamic}`;
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no ';
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
