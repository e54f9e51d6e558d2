/**
 * (e) The engine at rest: CPU this process uses (as % of one core) while the engine holds running
 * tasks and the benchmark does nothing, and the direct child processes of this process.
 */
import { nowMs, sleep } from './clock.js';
import { childProcesses, cpuMicros, type ChildProcessInfo } from './process-probe.js';
import { LABEL_MANAGED, LABEL_TASK_ID } from '../main/engine/labels.js';
import type { BenchContext } from './bench-context.js';
import type { ResultRow } from './report.js';
import { round } from './stats.js';

export interface IdleResult {
  readonly seconds: number;
  readonly runningContainers: number;
  readonly cpuPercentOfOneCore: number;
  /** Docker calls the engine made and events it emitted inside the window (0 when truly idle). */
  readonly dockerCallsDuringWindow: number;
  readonly engineEventsDuringWindow: number;
  /**
   * Docker events the engine's stream (label com.taskdeck.managed=true) delivered inside the window,
   * counted afterwards from Docker's history so counting costs nothing during it. `foreign` ones
   * belong to other Taskdeck processes on the same daemon; the engine still parses and drops them.
   */
  readonly engineStreamEventsDuringWindow: { readonly ours: number; readonly foreign: number };
  /** Most children seen at any of the samples (start, middle, end). */
  readonly maxChildren: number;
  readonly children: ChildProcessInfo[];
}

/**
 * Waits until the launch's trailing work (log attaches, record writes, events) is over: no Docker
 * call and no engine event for 3 s (at most 30 s).
 */
async function settle(ctx: BenchContext): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = [ctx.trace.length, ctx.engineEvents.length].join();
  let quietSince = Date.now();
  while (Date.now() < deadline && Date.now() - quietSince < 3000) {
    await sleep(250);
    const now = [ctx.trace.length, ctx.engineEvents.length].join();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
  }
}

async function eventsMatchingEngineFilter(
  ctx: BenchContext,
  fromMs: number,
  toMs: number,
): Promise<{ ours: number; foreign: number }> {
  const stream = (await ctx.docker.getEvents({
    since: Math.floor(fromMs / 1000),
    until: Math.ceil(toMs / 1000),
    filters: JSON.stringify({ type: ['container'], label: [`${LABEL_MANAGED}=true`] }),
  } as never)) as unknown as NodeJS.ReadableStream;
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  let ours = 0;
  let foreign = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as { timeNano: number; Actor: { Attributes?: Record<string, string> } };
    if (e.timeNano / 1e6 < fromMs || e.timeNano / 1e6 > toMs) continue;
    if (ctx.taskIds.has(e.Actor.Attributes?.[LABEL_TASK_ID] ?? '')) ours++;
    else foreign++;
  }
  return { ours, foreign };
}

export async function measureIdle(
  ctx: BenchContext,
  taskIds: readonly string[],
  seconds: number,
): Promise<IdleResult> {
  await settle(ctx);
  const running = taskIds
    .map((id) => ctx.engine.describeTask(id))
    .flatMap((t) => t?.containers ?? [])
    .filter((c) => c.lastStatus === 'RUNNING').length;
  const childSamples: ChildProcessInfo[][] = [await childProcesses()];
  const cpu0 = cpuMicros();
  const t0 = nowMs();
  await sleep((seconds * 1000) / 2);
  childSamples.push(await childProcesses());
  await sleep((seconds * 1000) / 2);
  const cpu1 = cpuMicros();
  const t1 = nowMs();
  childSamples.push(await childProcesses());
  const calls = ctx.trace.filter((t) => t.calledMs >= t0 && t.calledMs <= t1).length;
  const engineEvents = ctx.engineEvents.filter((e) => e.receivedMs >= t0 && e.receivedMs <= t1).length;
  const streamEvents = await eventsMatchingEngineFilter(ctx, t0, t1);
  const worst = childSamples.reduce((a, b) => (b.length > a.length ? b : a));
  return {
    seconds,
    runningContainers: running,
    cpuPercentOfOneCore: ((cpu1 - cpu0) / 1000 / (t1 - t0)) * 100,
    dockerCallsDuringWindow: calls,
    engineEventsDuringWindow: engineEvents,
    engineStreamEventsDuringWindow: streamEvents,
    maxChildren: worst.length,
    children: worst,
  };
}

/** Below this share of one core the engine counts as idle. */
export const CPU_TARGET_PERCENT = 1;

/** The (e) rows of the report and its JSON, given the children that existed before the bench. */
export function idleReport(
  idle: IdleResult,
  baselineChildren: readonly ChildProcessInfo[],
): { rows: ResultRow[]; json: Record<string, unknown> } {
  const baselinePids = new Set(baselineChildren.map((c) => c.pid));
  const engineChildren = idle.children.filter((c) => !baselinePids.has(c.pid));
  const preexisting = idle.children.filter((c) => baselinePids.has(c.pid));
  return {
    rows: [
      {
        metric: `(e) idle CPU, ${idle.runningContainers} running containers, ${idle.seconds} s`,
        value: `${idle.cpuPercentOfOneCore.toFixed(3)} % of a core`,
        target: `< ${CPU_TARGET_PERCENT} %`,
        pass: idle.cpuPercentOfOneCore < CPU_TARGET_PERCENT,
      },
      {
        metric: '(e) child processes started by the engine',
        value: `${engineChildren.length} (all children: ${idle.maxChildren}${preexisting.length ? `, pre-existing: ${preexisting.map((c) => c.comm).join(', ')}` : ''})`,
        target: '0',
        pass: engineChildren.length === 0,
      },
    ],
    json: { ...idle, cpuPercentOfOneCore: round(idle.cpuPercentOfOneCore, 3), baselineChildren },
  };
}
