/**
 * (d) 20 tasks × 3 containers launched at once through the engine versus the same 60 containers
 * created and started raw at once: wall time from the first call until Docker reported all 60
 * `start` events. Rounds alternate raw then engine; the last engine round is left running for (e).
 */
import { taskDef } from '../main/test-support/engine-fixture.js';
import type { TaskDetail } from '../contract/dto.js';
import { nowMs, sleep } from './clock.js';
import {
  action,
  all,
  benchContainer,
  inGroup,
  rawCreateOptions,
  removeRawContainers,
  type BenchContext,
} from './bench-context.js';
import { runBenchTask, stoppedWithin } from './engine-task.js';
import { median } from './stats.js';

export const FAN_OUT_TASKS = 20;
export const FAN_OUT_CONTAINERS = ['web', 'api', 'worker'] as const;

export interface FanOutSamples {
  readonly engineWallMs: number[];
  readonly rawWallMs: number[];
  /** Median time from the first call to each container's `start`, per round. */
  readonly engineMedianStartMs: number[];
  readonly rawMedianStartMs: number[];
  /** The engine tasks of the last round, still running. */
  readonly runningTaskIds: string[];
}

const total = FAN_OUT_TASKS * FAN_OUT_CONTAINERS.length;

async function rawRound(ctx: BenchContext, round: number): Promise<{ wall: number; med: number }> {
  const group = `d-raw-${round}`;
  const opts = [];
  for (let t = 0; t < FAN_OUT_TASKS; t++) {
    for (const name of FAN_OUT_CONTAINERS) {
      opts.push(
        rawCreateOptions(
          ctx,
          benchContainer(ctx, group, name),
          `taskdeck-bench-raw-${ctx.runId}-d${round}-${t}-${name}`,
        ),
      );
    }
  }
  const t0 = nowMs();
  await Promise.all(opts.map((o) => ctx.docker.createContainer(o).then((c) => c.start())));
  const starts = await ctx.dockerEvents.waitForCount(
    all(inGroup(group), action('start')),
    total,
    'raw fan-out starts',
  );
  const removed = await removeRawContainers(ctx, group);
  if (removed !== total) throw new Error(`raw fan-out: expected ${total} containers, removed ${removed}`);
  return { wall: Math.max(...starts.map((e) => e.atMs)) - t0, med: median(starts.map((e) => e.atMs - t0)) };
}

async function engineRound(
  ctx: BenchContext,
  round: number,
): Promise<{ wall: number; med: number; tasks: TaskDetail[] }> {
  const group = `d-engine-${round}`;
  const defs = Array.from({ length: FAN_OUT_TASKS }, () =>
    taskDef(
      'bench-fan-out',
      FAN_OUT_CONTAINERS.map((n) => benchContainer(ctx, group, n)),
    ),
  );
  const t0 = nowMs();
  const tasks = await Promise.all(defs.map((d) => runBenchTask(ctx, d)));
  const starts = await ctx.dockerEvents.waitForCount(
    all(inGroup(group), action('start')),
    total,
    'engine fan-out starts',
  );
  return {
    wall: Math.max(...starts.map((e) => e.atMs)) - t0,
    med: median(starts.map((e) => e.atMs - t0)),
    tasks,
  };
}

/** Launches the fan-out's tasks through the engine once and leaves them running ((e) on its own). */
export async function launchFanOutTasks(ctx: BenchContext): Promise<string[]> {
  const { tasks } = await engineRound(ctx, 0);
  return tasks.map((t) => t.taskId);
}

export async function measureFanOut(ctx: BenchContext, rounds: number): Promise<FanOutSamples> {
  const s: FanOutSamples = {
    engineWallMs: [],
    rawWallMs: [],
    engineMedianStartMs: [],
    rawMedianStartMs: [],
    runningTaskIds: [],
  };
  for (let r = 0; r < rounds; r++) {
    const raw = await rawRound(ctx, r);
    s.rawWallMs.push(raw.wall);
    s.rawMedianStartMs.push(raw.med);
    await sleep(1000);
    const eng = await engineRound(ctx, r);
    s.engineWallMs.push(eng.wall);
    s.engineMedianStartMs.push(eng.med);
    if (r < rounds - 1) {
      await Promise.all(eng.tasks.map((t) => ctx.engine.stopTask(t.taskId, 'bench round done')));
      await Promise.all(eng.tasks.map((t) => stoppedWithin(ctx, t.taskId, 120_000)));
      await sleep(1000);
    } else {
      s.runningTaskIds.push(...eng.tasks.map((t) => t.taskId));
    }
  }
  return s;
}
