/**
 * Starting a created app container (bridge mode: with the endpoint hook before, and the route to
 * 169.254.170.2 after). A failure fails the container with CannotStartContainerError.
 */
import { attachContainerEndpoints } from './runner-endpoints.js';
import { redactedDockerText, type RunnerContext } from './runner-context.js';
import { dockerMessage } from './runtime-helpers.js';
import type { ContainerRuntime } from './task-runtime.js';

/** Starts `c` (which has a Docker id); Docker's `start` event normally reports it running first. */
export function start(ctx: RunnerContext, c: ContainerRuntime): void {
  const prepared = ctx.prepared;
  c.op = 'start';
  const id = c.dockerId!;
  (async () => {
    if (prepared && ctx.rt.definition.networkMode === 'bridge') await prepared.beforeStart?.(c.name, id);
    await ctx.deps.docker.getContainer(id).start();
    // Not awaited: the container is running; the route to 169.254.170.2 follows within moments.
    if (ctx.rt.definition.networkMode === 'bridge') attachContainerEndpoints(ctx, c, id);
  })().then(
    () => ctx.dispatch({ type: 'started', c }),
    (err: Error) =>
      ctx.dispatch({
        type: 'startFailed',
        c,
        reason: `CannotStartContainerError: ${redactedDockerText(ctx, dockerMessage(err))}`,
      }),
  );
}
