/**
 * Provisioning: the launch material from the hooks (secrets, endpoint variables) and the
 * task-scoped Docker resources (volumes; for awsvpc the network and pause container), made before
 * any app container. A failure stops the task as TaskFailedToStart.
 */
import { labelInputOf } from './app-container-options.js';
import { attachEndpoints } from './runner-endpoints.js';
import type { RunnerContext } from './runner-context.js';
import { provisionTaskResources } from './task-resources.js';

/** Starts provisioning; `settled` runs first when it ends, either way, before the task changes. */
export function provision(ctx: RunnerContext, settled: () => void): void {
  const rt = ctx.rt;
  const labelInput = labelInputOf(rt);
  (async () => {
    ctx.prepared = await ctx.deps.hooks.prepare(
      rt,
      () => ctx.detail(),
      (name) => rt.containers.find((c) => c.name === name)?.dockerId,
      { stats: (name) => ctx.stats.agentDocument(name) },
    );
    rt.endpointState = ctx.prepared.endpointState;
    const res = await provisionTaskResources(ctx.deps.docker, rt.definition, labelInput, {
      pauseImage: ctx.deps.pauseImage,
      extraHosts: ctx.prepared.extraHosts,
    });
    if (res.pauseContainerId) await attachEndpoints(ctx, res.pauseContainerId);
    return res;
  })().then(
    (res) => {
      settled();
      rt.volumeSources = Object.fromEntries(res.volumeSources);
      if (res.networkName) rt.networkName = res.networkName;
      if (res.pauseContainerId) rt.pauseContainerId = res.pauseContainerId;
      if (res.attachment) rt.attachments = [res.attachment];
      rt.provisioned = true;
      ctx.changed();
      ctx.converge();
    },
    (err: Error) => {
      settled();
      rt.provisioned = true;
      const reason = /^[A-Za-z]+Error: /.test(err.message)
        ? err.message
        : `ResourceInitializationError: ${err.message}`;
      for (const c of rt.containers) {
        c.reason = reason;
        c.failedReason = reason;
      }
      ctx.requestStop('TaskFailedToStart', reason);
      ctx.converge();
    },
  );
}
