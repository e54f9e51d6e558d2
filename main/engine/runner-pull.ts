/**
 * Pulling a container's image (with the registry credentials the hooks supply) under the task's
 * pull behaviour. A failure fails the container with CannotPullContainerError.
 */
import { isoNow, redactedDockerText, type RunnerContext } from './runner-context.js';
import type { ContainerRuntime } from './task-runtime.js';

/** Starts the pull of `c`'s image; the result comes back as a `pulled` / `pullFailed` message. */
export function pull(ctx: RunnerContext, c: ContainerRuntime): void {
  const rt = ctx.rt;
  c.op = 'pull';
  rt.pullStartedAt ??= isoNow(ctx);
  ctx.setPhase(c, 'PULLING');
  ctx.changed();
  (async () => {
    const auth = await ctx.deps.hooks.registryAuth(c.def, rt);
    return ctx.deps.puller.ensure(
      c.def.image,
      rt.pullBehavior,
      (p) => ctx.deps.onPull(c.name, c.def.image, p),
      auth,
    );
  })().then(
    (result) => ctx.dispatch({ type: 'pulled', c, result }),
    (err: Error) => {
      const message = redactedDockerText(ctx, err.message);
      const reason =
        message.startsWith('CannotPullContainerError') || message.startsWith('ResourceInitializationError')
          ? message
          : `CannotPullContainerError: ${message}`;
      ctx.dispatch({ type: 'pullFailed', c, reason });
    },
  );
}
