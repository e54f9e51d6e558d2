/**
 * `taskdeck run FILE`: runs a task definition to completion on the local Docker engine.
 * Contract (tests and users rely on it exactly):
 *  - container output → stderr as `<container> | <text>` (colour only on a TTY); progress → stderr;
 *  - `--json` → stdout carries only JSON Lines, one Task State Change event per line, flushed as it happens;
 *  - exit: the essential container's exit code that stopped the task; 125 TaskFailedToStart;
 *    2 invalid input, or host access without `--allow-host-access` (nothing created); 130 after
 *    SIGINT/SIGTERM (StopTask, reverse-order stop awaited; a second signal kills what is left, still
 *    cleaning up).
 *  - everything created is removed at exit unless `--keep`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import {
  PULL_BEHAVIORS,
  type PullBehavior,
  type TaskDetail,
  type TaskStateChangeEvent,
} from '../../contract/dto.js';
import { connectDocker } from '../docker/connect.js';
import { resolveDockerConnection } from '../docker/connection.js';
import { unreachableLine } from '../docker/docker-reachability.js';
import { checkOverrides, EXPOSED_PUBLISH_ADDRESS } from '../engine/container-config.js';
import type { TaskOverrides } from '../engine/engine-api.js';
import { LAUNCH_TYPES, launchTypeProblem, type LaunchType } from '../engine/launch-type.js';
import { accountArg, regionArg } from './identity-args.js';
import { resolveIdentity } from '../aws/local-identity.js';
import { findHostAccess } from '../task-definition/host-access.js';
import { parseTaskDefinition } from '../task-definition/parse-task-definition.js';
import { createEngineRuntime } from '../launch/create-engine-runtime.js';
import { onDataWarning } from '../store/data-warnings.js';
import { warnAboutOrphans } from './gc-command.js';
import { terminalSafe } from './terminal-safe.js';
import { formatErrors } from './validate-command.js';

export const EXIT_FAILED_TO_START = 125;
export const EXIT_INTERRUPTED = 130;
const EXIT_INVALID = 2;

interface RunOptions {
  json?: boolean;
  overrides?: string;
  pullBehavior?: PullBehavior;
  secretsFile?: string;
  awsSecrets?: boolean;
  cluster?: string;
  keep?: boolean;
  dataDir?: string;
  passOwnCredentials?: boolean;
  exposePorts?: boolean;
  allowEnvFilesOutside?: boolean;
  allowHostAccess?: boolean;
  enableExecuteCommand?: boolean;
  region?: string;
  account?: string;
  launchType?: LaunchType;
}

const overridesSchema = z
  .object({
    cpu: z.string().optional(),
    memory: z.string().optional(),
    containerOverrides: z
      .array(
        z
          .object({
            name: z.string().min(1),
            command: z.array(z.string()).optional(),
            environment: z.array(z.object({ name: z.string().min(1), value: z.string() })).optional(),
            cpu: z.number().int().min(0).optional(),
            memory: z.number().int().min(6).optional(),
            memoryReservation: z.number().int().min(1).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .passthrough();

/**
 * Reads `--overrides`: either `{containerOverrides…}` or the RunTask `{overrides: {…}}` wrapper,
 * whose `enableExecuteCommand` (a RunTask parameter) is honoured too.
 */
export async function readOverrides(
  file: string,
): Promise<
  { ok: true; value: TaskOverrides; enableExecuteCommand?: boolean } | { ok: false; message: string }
> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    return { ok: false, message: `cannot read overrides ${file}: ${(err as Error).message}` };
  }
  const body =
    json && typeof json === 'object' && 'overrides' in json
      ? (json as { overrides: unknown }).overrides
      : json;
  const parsed = overridesSchema.safeParse(body);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  overrides.${i.path.join('.').replace(/\.(\d+)/g, '[$1]')}: ${i.message}`,
    );
    return { ok: false, message: `invalid overrides in ${file}:\n${lines.join('\n')}` };
  }
  const enable =
    json && typeof json === 'object' && 'overrides' in json
      ? (json as { enableExecuteCommand?: unknown }).enableExecuteCommand
      : undefined;
  if (enable !== undefined && typeof enable !== 'boolean') {
    return {
      ok: false,
      message: `invalid RunTask input in ${file}: enableExecuteCommand must be true or false`,
    };
  }
  return {
    ok: true,
    value: parsed.data as TaskOverrides,
    ...(enable !== undefined ? { enableExecuteCommand: enable } : {}),
  };
}

/** The CLI's exit status for a stopped task (see the contract above). */
export function exitStatusFor(task: TaskDetail, interrupted: boolean): number {
  if (interrupted) return EXIT_INTERRUPTED;
  if (task.stopCode === 'TaskFailedToStart') return EXIT_FAILED_TO_START;
  const by = task.containers.find((c) => c.name === task.stoppedBy);
  return by?.exitCode ?? 1;
}

const COLOURS = [36, 33, 35, 32, 34, 91, 96, 93];

/** Registers `taskdeck run`. */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run a task definition on the local Docker engine until it stops')
    .argument('<file>', 'task definition JSON (any of the shapes `validate` accepts)')
    .option('--json', 'print one ECS Task State Change event per line on stdout (JSON Lines)')
    .option(
      '--overrides <file>',
      'RunTask overrides JSON (containerOverrides: command, environment, cpu, memory)',
    )
    .addOption(
      new Option('--pull-behavior <behavior>', 'image pull behaviour').choices(PULL_BEHAVIORS as string[]),
    )
    .option('--secrets-file <file>', 'JSON object mapping secret valueFrom → value')
    .option(
      '--aws-secrets',
      'resolve secrets the secrets file lacks from Secrets Manager / SSM Parameter Store with your local AWS credentials (AWS_PROFILE etc.); the app has the same two in Settings',
    )
    .option('--cluster <name>', 'cluster name used in ARNs', 'default')
    .option('--keep', 'keep containers, networks and volumes after the task stops')
    .option('--data-dir <dir>', 'keep task records, events and logs here (default: a temporary folder)')
    .option(
      '--pass-own-credentials',
      'give a task with taskRoleArn your own AWS credentials (short-lived via GetSessionToken where possible) instead of assuming its role',
    )
    .option('--expose-ports', 'publish ports on every interface (0.0.0.0) instead of 127.0.0.1 only')
    .option(
      '--allow-host-access',
      'run a definition that reaches into the host (privileged, host bind mounts of / or the Docker socket, pidMode/ipcMode host, added capabilities, devices)',
    )
    .option(
      '--allow-env-files-outside',
      "let environmentFiles read local files outside the definition's folder (never /proc, /sys, /dev)",
    )
    .option(
      '--enable-execute-command',
      'allow ECS Exec into the containers (`taskdeck exec TASK CONTAINER`), as RunTask enableExecuteCommand',
    )
    .option(
      '--region <region>',
      'region tasks run in (ARNs, metadata, AWS_REGION); default: your AWS config, else us-east-1',
      regionArg,
    )
    .option(
      '--account <id>',
      'account id in ARNs and events; default: your caller identity, else 000000000000',
      accountArg,
    )
    .addOption(
      new Option(
        '--launch-type <type>',
        'RunTask launchType (default: FARGATE for Fargate-compatible awsvpc definitions, else EC2)',
      ).choices(LAUNCH_TYPES as unknown as string[]),
    )
    .action(async (file: string, opts: RunOptions) => {
      process.exitCode = await runCommand(file, opts);
    });
}

async function runCommand(file: string, opts: RunOptions): Promise<number> {
  const err = (s: string) => process.stderr.write(s);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    err(
      `taskdeck: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}\n`,
    );
    return EXIT_INVALID;
  }
  const parsed = parseTaskDefinition(text, { fileName: file });
  if (!parsed.ok) {
    err(formatErrors(file, parsed.errors, parsed.warnings));
    return EXIT_INVALID;
  }
  const hostAccess = findHostAccess(parsed.taskDefinition);
  if (hostAccess.length > 0 && !opts.allowHostAccess) {
    // Valid in ECS, so not an error: but nothing runs until the user says so.
    err(
      `taskdeck: ${terminalSafe(file)} asks for host access; nothing was run. Pass --allow-host-access to run it with:\n${hostAccess
        .map((a) => `  ${a.path}: ${terminalSafe(a.setting)} (${terminalSafe(a.message)})`)
        .join('\n')}\n`,
    );
    return EXIT_INVALID;
  }
  for (const w of parsed.warnings)
    err(`taskdeck: warning: ${w.path ? `${terminalSafe(w.path)}: ` : ''}${terminalSafe(w.message)}\n`);
  const def = parsed.taskDefinition;
  const badLaunchType = opts.launchType ? launchTypeProblem(def, opts.launchType) : undefined;
  if (badLaunchType) {
    err(`taskdeck: --launch-type ${opts.launchType}: ${badLaunchType}\n`);
    return EXIT_INVALID;
  }
  let overrides: TaskOverrides | undefined;
  let enableExecuteCommand = opts.enableExecuteCommand;
  if (opts.overrides) {
    const o = await readOverrides(opts.overrides);
    if (!o.ok) {
      err(`taskdeck: ${o.message}\n`);
      return EXIT_INVALID;
    }
    overrides = o.value;
    // The flag wins over the RunTask input's field.
    if (o.enableExecuteCommand !== undefined && opts.enableExecuteCommand === undefined) {
      enableExecuteCommand = o.enableExecuteCommand;
    }
    const bad = checkOverrides(def, overrides);
    if (bad) {
      err(`taskdeck: ${bad}\n`);
      return EXIT_INVALID;
    }
  }
  if (opts.secretsFile) {
    try {
      JSON.parse(await readFile(opts.secretsFile, 'utf8'));
    } catch (e) {
      err(`taskdeck: cannot use secrets file ${opts.secretsFile}: ${(e as Error).message}\n`);
      return EXIT_INVALID;
    }
  }

  let docker;
  try {
    ({ docker } = await connectDocker(resolveDockerConnection(process.env)));
  } catch (e) {
    const hint = (e as { hint?: string }).hint;
    err(`taskdeck: ${(e as Error).message}\n${hint ? `  ${hint}\n` : ''}`);
    return EXIT_FAILED_TO_START;
  }

  // Damaged records found while reading the data dir are kept aside and said, never lost silently.
  const offWarnings = onDataWarning((w) => err(`taskdeck: warning: ${terminalSafe(w.message)}\n`));
  // Leftovers of runs that were killed (SIGKILL, a crash): said once, never adopted (gc-command.ts).
  await warnAboutOrphans(docker, err);
  const tempDir = opts.dataDir ? undefined : await mkdtemp(join(tmpdir(), 'taskdeck-run-'));
  const dataDir = opts.dataDir ?? tempDir!;
  // Flags win; else the local AWS config's region and the caller identity (bounded; offline → defaults).
  const identity = await resolveIdentity({ region: opts.region, account: opts.account });
  const runtime = await createEngineRuntime({
    docker,
    dataDir,
    cluster: opts.cluster ?? 'default',
    ...(opts.awsSecrets ? { secretSource: () => ({ aws: { enabled: true } }) } : {}),
    owner: { kind: 'run', tempDataDir: tempDir !== undefined },
    region: identity.region,
    account: identity.account,
  });
  const engine = runtime.engine;

  // A closed stdout (e.g. `| head`) must not kill the run half-way and leak containers.
  process.stdout.on('error', () => {});
  const tty = process.stderr.isTTY === true;
  const colourOf = new Map(
    def.containerDefinitions.map((c, i) => [c.name, COLOURS[i % COLOURS.length]!] as const),
  );
  const width = Math.max(...def.containerDefinitions.map((c) => c.name.length));
  let taskId = '';
  const seen = new Map<string, string>();
  const offEvents = engine.on('event', (event: TaskStateChangeEvent, task) => {
    if (task.taskId !== taskId && taskId) return;
    if (opts.json) process.stdout.write(`${JSON.stringify(event)}\n`);
    if (task.credentialsWarning && !seen.has('credentials-warning')) {
      seen.set('credentials-warning', '');
      err(`taskdeck: warning: ${task.credentialsWarning}\n`);
    }
    const key = `task:${task.lastStatus}`;
    if (!seen.has(key)) {
      seen.set(key, '');
      err(
        `taskdeck: task ${task.taskId} ${task.lastStatus}${task.stoppedReason && task.lastStatus === 'STOPPED' ? ` (${task.stopCode}: ${terminalSafe(task.stoppedReason)})` : ''}\n`,
      );
      if (task.lastStatus === 'RUNNING' && task.enableExecuteCommand) {
        err(
          `taskdeck: ECS Exec enabled: taskdeck exec ${task.taskId} ${task.containers[0]?.name ?? 'CONTAINER'}\n`,
        );
      }
    }
    for (const c of task.containers) {
      const state = `${c.lastStatus}|${c.healthStatus}`;
      if (seen.get(c.name) === state) continue;
      seen.set(c.name, state);
      const extra =
        c.lastStatus === 'STOPPED'
          ? ` (${c.exitCode !== undefined ? `exit ${c.exitCode}` : 'not started'}${c.reason ? `: ${terminalSafe(c.reason)}` : ''})`
          : c.healthStatus !== 'UNKNOWN'
            ? ` (${c.healthStatus})`
            : '';
      err(`taskdeck: ${c.name} ${c.lastStatus}${extra}\n`);
    }
  });
  const offLogs = engine.on('logs', (lines) => {
    let out = '';
    for (const l of lines) {
      if (l.taskId !== taskId) continue;
      const name = l.container.padEnd(width);
      out += tty
        ? `\x1b[${colourOf.get(l.container) ?? 37}m${name} |\x1b[0m ${l.text}\n`
        : `${l.container} | ${l.text}\n`;
    }
    if (out) err(out);
  });

  // First signal: StopTask (reverse order, stop timeouts). Second: escalate — SIGKILL whatever is
  // left, then clean up as usual. Later ones only say what is happening.
  let signals = 0;
  let interrupted = false;
  const stopFailed = (e: unknown): void => {
    err(`taskdeck: could not stop task ${taskId}: ${(e as Error)?.message ?? String(e)}\n`);
  };
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    interrupted = true;
    if (signals === 1) {
      err(`taskdeck: ${sig} received, stopping task (${sig} again to kill it)\n`);
      if (taskId) engine.stopTask(taskId, `Interrupted (${sig})`).catch(stopFailed);
    } else if (signals === 2) {
      err(`taskdeck: ${sig} received again, killing the remaining containers, then cleaning up\n`);
      if (taskId) engine.stopTask(taskId, `Interrupted (${sig})`, { force: true }).catch(stopFailed);
    } else {
      err(`taskdeck: already killing (waiting for Docker to remove the task's containers)\n`);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  // Docker going away and the disk refusing writes are shown as they happen (issue 11).
  const offHealth = [
    engine.on('docker', (state) =>
      err(
        state.reachable
          ? `taskdeck: Docker is reachable again; resyncing the task\n`
          : `taskdeck: ${unreachableLine(state.since)} (${terminalSafe(state.error)})\n`,
      ),
    ),
    engine.on('storage', (state) =>
      err(
        state.ok
          ? `taskdeck: saving task history again\n`
          : `taskdeck: warning: ${terminalSafe(state.message)} (the task is still managed)\n`,
      ),
    ),
  ];

  let status: number;
  try {
    const started = await engine.runTask({
      taskDefinition: def,
      ...(overrides ? { overrides } : {}),
      ...(opts.pullBehavior ? { pullBehavior: opts.pullBehavior } : {}),
      ...(opts.keep ? { keep: true } : {}),
      ...(opts.secretsFile ? { secretsFile: opts.secretsFile } : {}),
      ...(opts.passOwnCredentials ? { passOwnCredentials: true } : {}),
      ...(opts.exposePorts ? { publishAddress: EXPOSED_PUBLISH_ADDRESS } : {}),
      // Local environmentFiles are the definition's neighbours: relative to its folder, confined to it.
      environmentFileScope: {
        folder: dirname(resolvePath(file)),
        ...(opts.allowEnvFilesOutside ? { allowOutside: true } : {}),
      },
      ...(enableExecuteCommand !== undefined ? { enableExecuteCommand } : {}),
      ...(opts.launchType ? { launchType: opts.launchType } : {}),
    });
    taskId = started.taskId;
    if (interrupted) engine.stopTask(taskId, 'Interrupted', { force: signals > 1 }).catch(stopFailed);
    const done = await engine.waitForStopped(taskId);
    status = exitStatusFor(done, interrupted);
    if (opts.keep)
      err(`taskdeck: --keep: containers, network and volumes of task ${taskId} were left in place\n`);
  } catch (e) {
    err(`taskdeck: ${terminalSafe((e as Error).message)}\n`);
    status = EXIT_INVALID;
  } finally {
    offEvents();
    offLogs();
    offWarnings();
    for (const off of offHealth) off();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await runtime.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }
  return status;
}
