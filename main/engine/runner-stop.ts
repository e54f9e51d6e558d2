/**
 * Stopping a task's containers in reverse dependency order: a container gets its stop signal
 * only once every container depending on it has stopped; one never started just ends. Each stop
 * is sent once; Docker's `die` event (or an inspect where it sends none) reports the exit.
 */
import { DEFAULT_STOP_TIMEOUT_S } from './container-config.js';
import { isoNow, type RunnerContext } from './runner-context.js';
import type { ContainerRuntime } from './task-runtime.js';

/** Sends every stop that is due now; containers with Docker work in flight are left for later. */
export function stopContainers(ctx: RunnerContext): void {
  const containers = ctx.rt.containers;
  for (const c of containers) {
    if (c.phase === 'STOPPED' || c.op) continue;
    if (!c.dockerId || c.phase === 'CREATED') {
      // Never started: nothing to signal.
      ctx.setPhase(c, 'STOPPED', c.dockerId ? 'never started' : 'not created');
      ctx.changed();
      continue;
    }
    const dependentsRunning = containers.some(
      (d) => d !== c && d.phase !== 'STOPPED' && d.def.dependsOn.some((dep) => dep.containerName === c.name),
    );
    if (dependentsRunning || c.stopSent) continue;
    stopContainer(ctx, c);
  }
}

/** `docker stop` with the container's stopTimeout (SIGTERM, then SIGKILL). */
function stopContainer(ctx: RunnerContext, c: ContainerRuntime): void {
  c.stopSent = true;
  const t = c.def.stopTimeout ?? DEFAULT_STOP_TIMEOUT_S;
  ctx.setPhase(c, 'STOPPING');
  ctx.deps.onPersist();
  ctx.deps.docker
    .getContainer(c.dockerId!)
    .stop({ t })
    .catch((err: { statusCode?: number }) => {
      // 304: already stopped — its `die` event (or the check below) settles it.
      if (err.statusCode === 404) ctx.containerExited(c, c.exitCode, isoNow(ctx), false);
      else if (err.statusCode === 304) settleFromInspect(ctx, c);
    });
}

/** Reports the exit of a container Docker says was already stopped (gone: as it was last known). */
function settleFromInspect(ctx: RunnerContext, c: ContainerRuntime): void {
  ctx.deps.docker
    .getContainer(c.dockerId!)
    .inspect()
    .then((info) => {
      if (!info.State.Running)
        ctx.containerExited(c, info.State.ExitCode, info.State.FinishedAt, info.State.OOMKilled);
    })
    .catch(() => ctx.containerExited(c, c.exitCode, isoNow(ctx), false));
}
