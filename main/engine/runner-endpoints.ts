/**
 * Task endpoints (metadata and credentials at 169.254.170.2) in a task's network namespaces. A
 * failure here never fails the task — the app may never call the endpoints — but it is recorded in
 * the containers' phase history, where the user will see it.
 */
import { isoNow, type RunnerContext } from './runner-context.js';
import type { ContainerRuntime } from './task-runtime.js';

/** Makes 169.254.170.2 answer in a network namespace (awsvpc: the pause container; bridge: `c`). */
export async function attachEndpoints(
  ctx: RunnerContext,
  networkContainerId: string,
  c?: ContainerRuntime,
): Promise<void> {
  try {
    await ctx.prepared?.attach(networkContainerId);
  } catch (err) {
    const note = `task endpoints unreachable at 169.254.170.2: ${(err as Error).message}`;
    for (const x of c ? [c] : ctx.rt.containers)
      x.phases.push({ at: isoNow(ctx), phase: x.phase, detail: note });
    ctx.deps.onPersist();
  }
}

/**
 * After a restart: serve the same endpoint ids again and make 169.254.170.2 answer in the
 * task's namespaces once more. A failure leaves the task running without endpoints (noted).
 */
export async function restoreEndpoints(ctx: RunnerContext): Promise<void> {
  const rt = ctx.rt;
  try {
    ctx.prepared = await ctx.deps.hooks.prepare(
      rt,
      () => ctx.detail(),
      (name) => rt.containers.find((c) => c.name === name)?.dockerId,
      { adopting: true, stats: (name) => ctx.stats.agentDocument(name) },
    );
    rt.endpointState = ctx.prepared.endpointState;
    if (ctx.prepared.credentialsWarning) rt.credentialsWarning = ctx.prepared.credentialsWarning;
  } catch (err) {
    for (const c of rt.containers) {
      c.phases.push({
        at: isoNow(ctx),
        phase: c.phase,
        detail: `task endpoints not restored: ${(err as Error).message}`,
      });
    }
    return;
  }
  if (rt.definition.networkMode === 'awsvpc' && rt.pauseContainerId) {
    await attachEndpoints(ctx, rt.pauseContainerId);
  } else if (rt.definition.networkMode === 'bridge') {
    await Promise.all(
      rt.containers
        .filter((c) => c.phase === 'RUNNING' && c.dockerId)
        .map((c) => attachEndpoints(ctx, c.dockerId!, c)),
    );
  }
}
