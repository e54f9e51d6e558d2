/**
 * (c) Single-container task start through the engine (runTask call → Docker `start` event) versus
 * raw dockerode create + start of an equivalent container (call → `start` event), interleaved
 * (alternating which goes first) so drift on a noisy machine hits both alike.
 */
import type { PullBehavior } from '../contract/dto.js';
import { taskDef } from '../main/test-support/engine-fixture.js';
import { nowMs } from './clock.js';
import {
  action,
  all,
  benchContainer,
  ofTask,
  rawCreateOptions,
  removeRawContainers,
  type BenchContext,
} from './bench-context.js';
import { runBenchTask, stoppedWithin, tracedCall } from './engine-task.js';

/** Where the engine's time goes, per sample (ms). */
export interface EngineStartBreakdown {
  /** runTask call → createContainer call (record, provision, image inspect). */
  readonly beforeCreate: number;
  /** The image inspect call inside `beforeCreate` (prefer-cached: the only Docker call before create). */
  readonly imageInspect: number;
  /** createContainer call → `create` event. */
  readonly daemonCreate: number;
  /** `create` event → start call (createContainer reply + converge). */
  readonly createToStartCall: number;
  /** start call → `start` event. */
  readonly daemonStart: number;
}

export interface RawStartBreakdown {
  readonly daemonCreate: number;
  readonly createToStartCall: number;
  readonly daemonStart: number;
}

export interface SingleStartSamples {
  readonly engineMs: number[];
  readonly rawMs: number[];
  readonly engineBreakdown: EngineStartBreakdown[];
  readonly rawBreakdown: RawStartBreakdown[];
}

/** One engine sample: latency to the `start` event, then stop and wait until cleaned up. */
export async function engineStartOnce(
  ctx: BenchContext,
  group: string,
  pullBehavior: PullBehavior,
): Promise<{ ms: number; breakdown?: EngineStartBreakdown }> {
  const def = taskDef('bench-single', [benchContainer(ctx, group, 'app')]);
  const t0 = nowMs();
  const t = await runBenchTask(ctx, def, pullBehavior);
  const started = await ctx.dockerEvents.waitFor(
    all(ofTask(t.taskId), action('start')),
    'engine single start',
  );
  const created = await ctx.dockerEvents.waitFor(
    all(ofTask(t.taskId), action('create')),
    'engine single create',
  );
  await ctx.engine.stopTask(t.taskId, 'bench sample done');
  await stoppedWithin(ctx, t.taskId);
  const createCall = tracedCall(ctx, 'createContainer', created.attrs.name ?? '');
  const startCall = tracedCall(ctx, 'container.start', created.id);
  const inspect = ctx.trace.find(
    (x) => x.op === 'image.inspect' && x.calledMs >= t0 && x.doneMs !== undefined,
  );
  return {
    ms: started.atMs - t0,
    ...(createCall && startCall
      ? {
          breakdown: {
            beforeCreate: createCall.calledMs - t0,
            imageInspect: inspect?.doneMs !== undefined ? inspect.doneMs - inspect.calledMs : NaN,
            daemonCreate: created.atMs - createCall.calledMs,
            createToStartCall: startCall.calledMs - created.atMs,
            daemonStart: started.atMs - startCall.calledMs,
          },
        }
      : {}),
  };
}

async function rawStartOnce(
  ctx: BenchContext,
  group: string,
  i: number,
): Promise<{ ms: number; breakdown: RawStartBreakdown }> {
  const def = benchContainer(ctx, group, 'app');
  const opts = rawCreateOptions(ctx, def, `taskdeck-bench-raw-${ctx.runId}-${group}-${i}`);
  const t0 = nowMs();
  const c = await ctx.docker.createContainer(opts);
  const startCallMs = nowMs();
  await c.start();
  const started = await ctx.dockerEvents.waitFor(
    (e) => e.id === c.id && e.action === 'start',
    'raw single start',
  );
  const created = await ctx.dockerEvents.waitFor(
    (e) => e.id === c.id && e.action === 'create',
    'raw single create',
  );
  await removeRawContainers(ctx, group);
  return {
    ms: started.atMs - t0,
    breakdown: {
      daemonCreate: created.atMs - t0,
      createToStartCall: startCallMs - created.atMs,
      daemonStart: started.atMs - startCallMs,
    },
  };
}

export async function measureSingleStart(ctx: BenchContext, samples: number): Promise<SingleStartSamples> {
  const s: SingleStartSamples = { engineMs: [], rawMs: [], engineBreakdown: [], rawBreakdown: [] };
  // One unmeasured pair warms both paths (first-use costs: store folders, sockets, JIT).
  await engineStartOnce(ctx, 'c-warmup', 'prefer-cached');
  await rawStartOnce(ctx, 'c-warmup', -1);
  for (let i = 0; i < samples; i++) {
    const engineFirst = i % 2 === 0;
    for (const which of engineFirst ? ['engine', 'raw'] : ['raw', 'engine']) {
      if (which === 'engine') {
        const r = await engineStartOnce(ctx, 'c', 'prefer-cached');
        s.engineMs.push(r.ms);
        if (r.breakdown) s.engineBreakdown.push(r.breakdown);
      } else {
        const r = await rawStartOnce(ctx, 'c', i);
        s.rawMs.push(r.ms);
        s.rawBreakdown.push(r.breakdown);
      }
    }
  }
  return s;
}

/** Engine-only samples with pull behaviour `default` (a registry pull is attempted first), for comparison. */
export async function measureDefaultPullStart(
  ctx: BenchContext,
  samples: number,
): Promise<{ engineMs: number[]; pullCallMs: number[] }> {
  const engineMs: number[] = [];
  const before = ctx.trace.length;
  for (let i = 0; i < samples; i++) engineMs.push((await engineStartOnce(ctx, 'c-default', 'default')).ms);
  const pullCallMs = ctx.trace
    .slice(before)
    .filter((t) => t.op === 'pull' && t.doneMs !== undefined)
    .map((t) => t.doneMs! - t.calledMs);
  return { engineMs, pullCallMs };
}
