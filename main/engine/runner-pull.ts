/**
 * Pulling a container's image (with the registry credentials the hooks supply) under the task's
 * pull behaviour. A failure fails the container with CannotPullContainerError.
 */
import { isoNow, redactedDockerText, type RunnerContext } from './runner-context.js';
import type { ContainerRuntime } from './task-runtime.js';

/** Starts the pull of `c`'s image; the result comes back as a phase change and a converge. */
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
    (res) => {
      c.op = undefined;
      if (res.imageDigest) c.imageDigest = res.imageDigest;
      c.imageId = res.imageId;
      if (rt.desiredStatus === 'STOPPED' && !rt.containers.some((x) => x.op === 'pull')) {
        rt.pullStoppedAt ??= isoNow(ctx);
      }
      ctx.setPhase(
        c,
        'PULLED',
        res.usedCache ? 'pull failed; using cached image' : res.pulled ? undefined : 'cached',
      );
      ctx.changed();
      ctx.converge();
    },
    (err: Error) => {
      c.op = undefined;
      // As the agent does: a failed pull still ends the pull phase (the task is stopping, so
      // convergeRunning, which normally records it, will not run again).
      if (!rt.containers.some((x) => x.op === 'pull')) {
        rt.pullStoppedAt ??= isoNow(ctx);
      }
      const message = redactedDockerText(ctx, err.message);
      ctx.failContainer(
        c,
        message.startsWith('CannotPullContainerError') || message.startsWith('ResourceInitializationError')
          ? message
          : `CannotPullContainerError: ${message}`,
      );
      ctx.converge();
    },
  );
}
