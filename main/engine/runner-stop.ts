/**
 * Stopping a task's containers in reverse dependency order (semantics §4): a container that never
 * started just ends (it is never started now), and a running one gets its stop signal once no
 * container depending on it is still running — one that never started counts as stopped at once,
 * so a dependent waiting on a dependency never holds its upstream up. Each stop is sent once and
 * again only if it failed; Docker's `die` event (or an inspect where it sends none) reports the exit. A forced stop (second
 * stop request) SIGKILLs everything still running, regardless of order.
 */
import { effectiveDependsOn } from './links.js';
import { DEFAULT_STOP_TIMEOUT_S } from './container-config.js';
import { isoNow, type RunnerContext } from './runner-context.js';
import type { ContainerRuntime } from './task-runtime.js';

/** A pull, create or start is still out: its answer comes first, then the container is stopped. */
function launching(c: ContainerRuntime): boolean {
  return c.op === 'pull' || c.op === 'create' || c.op === 'start';
}

/** Sends every stop that is due now; containers with Docker work in flight are left for later. */
export function stopContainers(ctx: RunnerContext): void {
  const containers = ctx.rt.containers;
  // First everything that never started: it ends now, before any ordering question is asked.
  for (const c of containers) {
    if (c.phase === 'STOPPED' || c.op) continue;
    if (!c.dockerId || c.phase === 'CREATED') {
      ctx.setPhase(c, 'STOPPED', c.dockerId ? 'never started' : 'not created');
      ctx.changed();
    }
  }
  for (const c of containers) {
    if (c.phase === 'STOPPED' || launching(c) || !c.dockerId) continue;
    if (ctx.rt.stopForced) {
      if (c.op !== 'kill') killContainer(ctx, c);
      continue;
    }
    if (c.op === 'stop') continue;
    const dependentsRunning = containers.some(
      (d) =>
        d !== c && mayBeRunning(d) && effectiveDependsOn(d.def).some((dep) => dep.containerName === c.name),
    );
    if (!dependentsRunning) stopContainer(ctx, c);
  }
}

/** Running, stopping, or being started right now; anything else will never run again. */
function mayBeRunning(d: ContainerRuntime): boolean {
  return d.phase === 'RUNNING' || d.phase === 'STOPPING' || d.op === 'start';
}

/** `docker stop` with the container's stopTimeout (SIGTERM, then SIGKILL). */
function stopContainer(ctx: RunnerContext, c: ContainerRuntime): void {
  c.op = 'stop';
  const t = c.def.stopTimeout ?? DEFAULT_STOP_TIMEOUT_S;
  ctx.setPhase(c, 'STOPPING');
  ctx.deps.onPersist();
  ctx.deps.docker
    .getContainer(c.dockerId!)
    .stop({ t })
    .catch((err: { statusCode?: number; message?: string }) => settleAfterError(ctx, c, err));
}

/** SIGKILL, for a forced stop: no grace period, no ordering. */
function killContainer(ctx: RunnerContext, c: ContainerRuntime): void {
  c.op = 'kill';
  ctx.setPhase(c, 'STOPPING', 'SIGKILL (forced stop)');
  ctx.deps.onPersist();
  ctx.deps.docker
    .getContainer(c.dockerId!)
    .kill({ signal: 'SIGKILL' })
    .catch((err: { statusCode?: number; message?: string }) => settleAfterError(ctx, c, err));
}

/**
 * 404: gone (as it was last known); 304/409: already stopped — its `die` or an inspect settles it.
 * Anything else (Docker unreachable, a daemon error) means the stop did not happen: it is sent
 * again later, until Docker confirms the container stopped.
 */
function settleAfterError(
  ctx: RunnerContext,
  c: ContainerRuntime,
  err: { statusCode?: number; message?: string },
): void {
  if (err.statusCode === 404) gone(ctx, c);
  else if (err.statusCode === 304 || err.statusCode === 409) settleFromInspect(ctx, c);
  else ctx.dispatch({ type: 'stopFailed', c, message: err.message ?? 'Docker error' });
}

/** Reports the exit of a container Docker says was already stopped (gone: as it was last known). */
function settleFromInspect(ctx: RunnerContext, c: ContainerRuntime): void {
  ctx.deps.docker
    .getContainer(c.dockerId!)
    .inspect()
    .then((info) => {
      if (!info.State.Running)
        ctx.dispatch({
          type: 'exited',
          c,
          exitCode: info.State.ExitCode,
          at: info.State.FinishedAt,
          oom: info.State.OOMKilled,
        });
    })
    .catch((err: { statusCode?: number; message?: string }) => {
      if (err.statusCode === 404) gone(ctx, c);
      else settleAfterError(ctx, c, err);
    });
}

/** The container no longer exists: it exited as it was last known. */
function gone(ctx: RunnerContext, c: ContainerRuntime): void {
  ctx.dispatch({ type: 'exited', c, exitCode: c.exitCode, at: isoNow(ctx), oom: false });
}
