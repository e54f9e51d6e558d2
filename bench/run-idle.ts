/**
 * Bench (e) on its own (`node --import tsx bench/run-idle.ts`): launches the fan-out's 20×3 tasks
 * through the engine (each running container has its log follower and its Docker stats stream, as
 * in the app), measures idle CPU and child processes, and replaces only the (e) part of
 * bench/results.json (its `e_idle` and its rows); the other figures stay as the full run left them.
 *
 * Env: BENCH_IDLE_SECONDS (60).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { createBenchContext, leftoverContainers, teardown } from './bench-context.js';
import { launchFanOutTasks } from './measure-fan-out.js';
import { idleReport, measureIdle } from './measure-idle.js';
import { childProcesses } from './process-probe.js';
import { formatTable, type ResultRow } from './report.js';
import { round } from './stats.js';

const seconds =
  Number(process.env['BENCH_IDLE_SECONDS']) > 0 ? Number(process.env['BENCH_IDLE_SECONDS']) : 60;
const progress = (msg: string) =>
  process.stderr.write(`[bench:e ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

async function main(): Promise<number> {
  const baselineChildren = await childProcesses();
  const ctx = await createBenchContext();
  let report: ReturnType<typeof idleReport> | undefined;
  let load = NaN;
  try {
    progress('launching 20 tasks × 3 containers through the engine');
    const taskIds = await launchFanOutTasks(ctx);
    progress(`(e) idle: engine holding ${taskIds.length} tasks for ${seconds} s`);
    const idle = await measureIdle(ctx, taskIds, seconds);
    load = loadavg()[0]!;
    report = idleReport(idle, baselineChildren);
  } finally {
    progress('teardown');
    await teardown(ctx);
  }
  const left = await leftoverContainers(ctx);
  const rows: ResultRow[] = [...report.rows];
  console.log(formatTable(rows));
  progress(`1-min load average at the end of the window: ${load.toFixed(1)}`);
  const file = join(dirname(fileURLToPath(import.meta.url)), 'results.json');
  const json = JSON.parse(await readFile(file, 'utf8')) as { rows?: ResultRow[]; e_idle?: unknown };
  json.e_idle = { ...report.json, measuredAt: new Date().toISOString(), loadAverage: round(load) };
  const others = (json.rows ?? []).filter((r) => !r.metric.startsWith('(e)'));
  const at = (json.rows ?? []).findIndex((r) => r.metric.startsWith('(e)'));
  json.rows = at < 0 ? [...others, ...rows] : [...others.slice(0, at), ...rows, ...others.slice(at)];
  await writeFile(
    file,
    await format(JSON.stringify(json), { ...(await resolveConfig(file)), parser: 'json' }),
  );
  progress(`wrote the (e) part of ${file}`);
  const clean = left.runLabelled === 0 && left.managedOfRun === 0;
  return rows.every((r) => r.pass !== false) && clean ? 0 : 1;
}

process.exitCode = await main();
