/**
 * (a) dependsOn gate latency: from Docker's timestamp of the upstream event that satisfies the
 * condition to Docker's timestamp of the dependent's `create` event. Also splits each sample into
 * the engine's reaction (upstream event → the engine's createContainer call) and the daemon's
 * create work (call → `create` event).
 */
import type { DependencyCondition } from '../main/task-definition/model.js';
import { taskDef } from '../main/test-support/engine-fixture.js';
import {
  action,
  all,
  benchContainer,
  LONG_RUNNING_FAST_STOP,
  named,
  ofTask,
  rawCreateOptions,
  removeRawContainers,
  type BenchContext,
} from './bench-context.js';
import { runBenchTask, stoppedWithin, tracedCall } from './engine-task.js';

export type GateCondition = Extract<DependencyCondition, 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY'>;
export const GATE_CONDITIONS: readonly GateCondition[] = ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'];

/** Per-condition samples (ms). */
export interface GateSamples {
  /** Upstream event → dependent `create` event (Docker timestamps). */
  readonly gateMs: number[];
  /** Upstream event → the engine's createContainer call. */
  readonly engineReactMs: number[];
  /** createContainer call → `create` event. */
  readonly daemonCreateMs: number[];
  /** Upstream event → this process receiving it (event-stream delivery). */
  readonly deliveryMs: number[];
  /** The same gate driven by a minimal raw client (upstream event → dependent `create` event). */
  readonly rawClientMs: number[];
}

const TRIGGER: Record<GateCondition, string> = {
  START: 'start',
  COMPLETE: 'die',
  SUCCESS: 'die',
  HEALTHY: 'health_status: healthy',
};

function upstreamCommand(condition: GateCondition): {
  command: string[];
  healthCheck?: {
    command: string[];
    interval: number;
    timeout: number;
    retries: number;
    startPeriod: number;
  };
} {
  switch (condition) {
    case 'START':
      return { command: LONG_RUNNING_FAST_STOP };
    case 'COMPLETE':
      return { command: ['sh', '-c', 'sleep 0.2; exit 3'] };
    case 'SUCCESS':
      return { command: ['sh', '-c', 'sleep 0.2; exit 0'] };
    case 'HEALTHY':
      return {
        command: LONG_RUNNING_FAST_STOP,
        healthCheck: { command: ['CMD-SHELL', 'true'], interval: 1, timeout: 2, retries: 1, startPeriod: 0 },
      };
  }
}

async function engineGateOnce(ctx: BenchContext, condition: GateCondition, s: GateSamples): Promise<void> {
  const group = `a-${condition}`;
  const def = taskDef(`bench-gate-${condition.toLowerCase()}`, [
    benchContainer(ctx, group, 'up', { essential: false, ...upstreamCommand(condition) }),
    benchContainer(ctx, group, 'app', {
      command: ['sh', '-c', 'exit 0'],
      dependsOn: [{ containerName: 'up', condition }],
    }),
  ]);
  const t = await runBenchTask(ctx, def);
  const done = await stoppedWithin(ctx, t.taskId);
  const app = done.containers.find((c) => c.name === 'app');
  if (app?.exitCode !== 0)
    throw new Error(`gate ${condition}: app did not run (${app?.reason ?? app?.lastStatus})`);
  const trigger = await ctx.dockerEvents.waitFor(
    all(ofTask(t.taskId), named('up'), action(TRIGGER[condition])),
    `${condition} trigger`,
  );
  const created = await ctx.dockerEvents.waitFor(
    all(ofTask(t.taskId), named('app'), action('create')),
    `${condition} dependent create`,
  );
  s.gateMs.push(created.atMs - trigger.atMs);
  s.deliveryMs.push(trigger.receivedMs - trigger.atMs);
  const call = tracedCall(ctx, 'createContainer', created.attrs.name ?? '');
  if (call) {
    s.engineReactMs.push(call.calledMs - trigger.atMs);
    s.daemonCreateMs.push(created.atMs - call.calledMs);
  }
}

/**
 * The floor any client can reach: a minimal raw client that watches the same event stream and
 * calls createContainer for the dependent the moment the upstream event arrives.
 */
async function rawGateOnce(ctx: BenchContext, condition: GateCondition, i: number): Promise<number> {
  const group = `a-raw-${condition}`;
  const prefix = `taskdeck-bench-raw-${ctx.runId}-${group}-${i}`;
  const up = rawCreateOptions(
    ctx,
    benchContainer(ctx, group, 'up', { essential: false, ...upstreamCommand(condition) }),
    `${prefix}-up`,
  );
  const app = rawCreateOptions(
    ctx,
    benchContainer(ctx, group, 'app', { command: ['sh', '-c', 'exit 0'] }),
    `${prefix}-app`,
  );
  try {
    const upC = await ctx.docker.createContainer(up);
    const trigger = ctx.dockerEvents.waitFor(
      (e) => e.id === upC.id && e.action === TRIGGER[condition],
      `raw ${condition} trigger`,
    );
    const started = upC.start();
    const trig = await trigger;
    const appC = await ctx.docker.createContainer(app);
    await started;
    const created = await ctx.dockerEvents.waitFor(
      (e) => e.id === appC.id && e.action === 'create',
      `raw ${condition} create`,
    );
    return created.atMs - trig.atMs;
  } finally {
    await removeRawContainers(ctx, group);
  }
}

/** Runs `samples` two-container tasks per condition, one at a time, interleaved with raw-client samples. */
export async function measureGates(
  ctx: BenchContext,
  samples: number,
): Promise<Record<GateCondition, GateSamples>> {
  const out = {} as Record<GateCondition, GateSamples>;
  for (const condition of GATE_CONDITIONS) {
    const s: GateSamples = {
      gateMs: [],
      engineReactMs: [],
      daemonCreateMs: [],
      deliveryMs: [],
      rawClientMs: [],
    };
    for (let i = 0; i < samples; i++) {
      if (i % 2 === 0) {
        await engineGateOnce(ctx, condition, s);
        s.rawClientMs.push(await rawGateOnce(ctx, condition, i));
      } else {
        s.rawClientMs.push(await rawGateOnce(ctx, condition, i));
        await engineGateOnce(ctx, condition, s);
      }
    }
    out[condition] = s;
  }
  return out;
}
