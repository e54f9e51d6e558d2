/**
 * `taskdeck gc [--dry-run] [--json] [--data-dir DIR]`: lists and removes orphans — containers,
 * networks, volumes and `run` temp data dirs whose Taskdeck process is gone (orphans.ts). Objects
 * of a live process, of another host, or made before owner labels existed are never touched.
 * Exit: 0 done (or nothing to do), 1 something could not be removed, 125 Docker unreachable.
 */
import type { Command } from 'commander';
import type Docker from '../docker/docker-client.js';
import { connectDocker } from '../docker/connect.js';
import { resolveDockerConnection } from '../docker/connection.js';
import { normaliseDir } from '../services/data-dir.js';
import {
  describeOrphans,
  findOrphans,
  removeOrphans,
  type OrphanObject,
  type OrphanReport,
} from '../engine/orphans.js';
import { terminalSafe } from './terminal-safe.js';

interface GcOptions {
  dryRun?: boolean;
  json?: boolean;
  dataDir?: string;
}

/** Registers `taskdeck gc`. */
export function registerGcCommand(program: Command): void {
  program
    .command('gc')
    .description('remove containers, networks, volumes and temp data of Taskdeck processes that are gone')
    .option('--dry-run', 'list the orphans, remove nothing')
    .option('--json', 'print the result as one JSON object on stdout')
    .option('--data-dir <dir>', 'only orphans of tasks whose data dir is this folder')
    .action(async (opts: GcOptions) => {
      process.exitCode = await gcCommand(opts);
    });
}

async function gcCommand(opts: GcOptions): Promise<number> {
  const err = (s: string) => process.stderr.write(s);
  let docker: Docker;
  try {
    ({ docker } = await connectDocker(resolveDockerConnection(process.env)));
  } catch (e) {
    const hint = (e as { hint?: string }).hint;
    err(`taskdeck: ${(e as Error).message}\n${hint ? `  ${hint}\n` : ''}`);
    return 125;
  }
  const report = await findOrphans(docker, opts.dataDir ? { dataDir: normaliseDir(opts.dataDir) } : {});
  const cleanup = opts.dryRun ? undefined : await removeOrphans(docker, report);
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({
        dryRun: opts.dryRun === true,
        orphans: report.objects,
        tempDataDirs: report.tempDataDirs,
        ...(cleanup
          ? { removed: cleanup.removed, removedDataDirs: cleanup.removedDirs, errors: cleanup.errors }
          : {}),
      })}\n`,
    );
  } else {
    const total = report.objects.length + report.tempDataDirs.length;
    if (total === 0) err('taskdeck: no orphans (nothing left by a Taskdeck process that is gone)\n');
    for (const o of report.objects)
      err(`${opts.dryRun ? 'would remove' : 'removing'} ${describeObject(o)}\n`);
    for (const d of report.tempDataDirs)
      err(`${opts.dryRun ? 'would remove' : 'removing'} temporary data dir ${terminalSafe(d)}\n`);
    if (cleanup) for (const e of cleanup.errors) err(`taskdeck: could not remove ${terminalSafe(e)}\n`);
    if (total > 0)
      err(
        opts.dryRun
          ? `taskdeck: ${describeOrphans(report)} would be removed; run \`taskdeck gc\` to remove them\n`
          : `taskdeck: removed ${cleanup!.removed.length + cleanup!.removedDirs.length} of ${total}\n`,
      );
  }
  return cleanup && cleanup.errors.length > 0 ? 1 : 0;
}

function describeObject(o: OrphanObject): string {
  const what = [
    o.taskId ? `task ${o.taskId}` : undefined,
    o.containerName ?? o.role,
    `owner ${o.ownerKind ?? 'process'} pid ${o.ownerPid} is gone`,
  ].filter(Boolean);
  return terminalSafe(`${o.kind} ${o.name} (${what.join(', ')})`);
}

/**
 * `taskdeck run`'s start-up check: one stderr line when orphans exist, with the gc hint. A failed
 * check only says so: it must never stop a run.
 */
export async function warnAboutOrphans(docker: Docker, err: (s: string) => void): Promise<OrphanReport> {
  try {
    const report = await findOrphans(docker);
    if (report.objects.length + report.tempDataDirs.length > 0)
      err(
        `taskdeck: warning: ${describeOrphans(report)} left by Taskdeck processes that are gone; list them with \`taskdeck gc --dry-run\`, remove them with \`taskdeck gc\`\n`,
      );
    return report;
  } catch (e) {
    err(`taskdeck: warning: could not look for orphaned containers: ${(e as Error).message}\n`);
    return { objects: [], tempDataDirs: [] };
  }
}
