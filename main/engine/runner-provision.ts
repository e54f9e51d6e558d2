/**
 * Provisioning: the launch material from the hooks (secrets, endpoint variables) and the
 * task-scoped Docker resources (volumes; for awsvpc the network and pause container), made before
 * any app container. A failure stops the task as TaskFailedToStart.
 */
import { labelInputOf } from './app-container-options.js';
import { envEntryProblem, shownName } from '../task-definition/env-safety.js';
import type { PreparedLaunch } from './launch-hooks.js';
import { attachEndpoints } from './runner-endpoints.js';
import { redactedText, type RunnerContext } from './runner-context.js';
import type { TaskRuntime } from './task-runtime.js';
import { provisionTaskResources } from './task-resources.js';

/**
 * Starts provisioning; the outcome comes back as a `provisioned` / `provisionFailed` message, with
 * the launch material the hooks prepared (the actor takes it; cleanup disposes of it).
 */
export function provision(ctx: RunnerContext): void {
  const rt = ctx.rt;
  const labelInput = labelInputOf(rt);
  let prepared: PreparedLaunch | undefined;
  (async () => {
    prepared = await ctx.deps.hooks.prepare(
      rt,
      () => ctx.detail(),
      (name) => rt.containers.find((c) => c.name === name)?.dockerId,
      { stats: (name) => ctx.stats.agentDocument(name) },
    );
    checkLaunchEnv(rt, prepared);
    const res = await provisionTaskResources(ctx.deps.docker, rt.definition, labelInput, {
      pauseImage: ctx.deps.pauseImage,
      extraHosts: prepared.extraHosts,
      ...(rt.publishAddress ? { publishAddress: rt.publishAddress } : {}),
    });
    const note = res.pauseContainerId ? await attachEndpoints(prepared, res.pauseContainerId) : undefined;
    return { res, prepared, note };
  })().then(
    ({ res, prepared: p, note }) =>
      ctx.dispatch({ type: 'provisioned', resources: res, prepared: p, notes: note ? [{ note }] : [] }),
    (err: Error) => {
      const message = redactedText(prepared, err.message);
      const reason = /^[A-Za-z]+Error: /.test(message) ? message : `ResourceInitializationError: ${message}`;
      ctx.dispatch({ type: 'provisionFailed', reason, ...(prepared ? { prepared } : {}) });
    },
  );
}

/**
 * Refuses, before any task resource exists, an environment entry Docker would refuse (runc's
 * error would quote the value). The hooks name the exact secret or file first; this also covers
 * endpoint variables and any other source, naming the container and the variable only.
 */
function checkLaunchEnv(rt: TaskRuntime, prepared: PreparedLaunch): void {
  for (const c of rt.containers) {
    const entries = [...Object.entries(prepared.extraEnv(c.name)), ...Object.entries(prepared.env(c.name))];
    for (const [key, value] of entries) {
      const secret = key.startsWith('secret:');
      const name = secret ? key.slice('secret:'.length) : key;
      const problem = envEntryProblem(name, value);
      if (problem) {
        throw new Error(
          `ResourceInitializationError: container ${c.name}: ${secret ? 'secret' : 'environment variable'} ${shownName(name)} ${problem}`,
        );
      }
    }
  }
}
