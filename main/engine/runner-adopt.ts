/**
 * Re-adoption after an engine restart: rebuilds a task's container phases from what Docker still
 * has (found by label), resumes each container's log after its last stored line (running or
 * exited meanwhile) with sequence numbers continuing from the stored ones, resumes health, and
 * restores the task endpoints.
 */
import type Docker from '../docker/docker-client.js';
import { restoreEndpoints } from './runner-endpoints.js';
import type { LogCursor } from './log-cursor.js';
import type { RunnerContext } from './runner-context.js';
import { bindingsOf, mergeProbes } from './runtime-helpers.js';
import type { ContainerRuntime } from './task-runtime.js';

/** Brings the task's state in line with its Docker containers, then converges. */
export async function adoptTask(ctx: RunnerContext): Promise<void> {
  const { docker } = ctx.deps;
  const found = await docker.listContainers({
    all: true,
    filters: { label: [`com.taskdeck.task-id=${ctx.rt.taskId}`] },
  });
  // The stored log, not the record (saved on state changes only), says where each log ends.
  const tail = await ctx.deps.logTail?.().catch(() => undefined);
  if (tail) ctx.rt.logSeq = Math.max(ctx.rt.logSeq, tail.lastSeq);
  const infos = await Promise.all(
    found.map((c) =>
      docker
        .getContainer(c.Id)
        .inspect()
        .catch(() => undefined),
    ),
  );
  for (const c of ctx.rt.containers) {
    c.op = undefined;
    const info = infos.find(
      (i) =>
        i &&
        i.Config.Labels['com.amazonaws.ecs.container-name'] === c.name &&
        i.Config.Labels['com.taskdeck.role'] === 'app',
    );
    if (info) adoptContainer(ctx, c, info, tail?.containers[c.name]);
    else if (c.dockerId && c.phase !== 'STOPPED') {
      // It existed and is gone: it was removed while we were away.
      ctx.setPhase(c, 'STOPPED', 'container disappeared while Taskdeck was not running');
      c.reason ??= 'CannotInspectContainerError: container removed outside Taskdeck';
    } else if (c.phase === 'PULLING') {
      c.phase = 'NONE';
    }
  }
  ctx.rt.provisioned = true;
  const pauseId = ctx.rt.pauseContainerId;
  if (pauseId) {
    // The pause container is essential: if it ended while we were away, so does the task.
    const pause = infos.find((i) => i?.Id === pauseId);
    if (!pause?.State.Running)
      ctx.pauseExited(pause?.State.FinishedAt ?? new Date(ctx.now()).toISOString(), pause?.State.ExitCode);
  }
  if (ctx.rt.desiredStatus === 'RUNNING') await restoreEndpoints(ctx);
  ctx.deps.onPersist();
  ctx.converge();
}

/** One container Docker still has: running, exited after a start, or created only. */
function adoptContainer(
  ctx: RunnerContext,
  c: ContainerRuntime,
  info: Docker.ContainerInspectInfo,
  logFrom: LogCursor | undefined,
): void {
  c.dockerId = info.Id;
  if (info.State.Running) {
    if (c.phase !== 'RUNNING' && c.phase !== 'STOPPING') ctx.setPhase(c, 'RUNNING');
    // Still running: a stop sent before the restart did not (yet) take; it is sent again.
    c.stopSent = false;
    c.killSent = false;
    c.startedAt ??= info.State.StartedAt;
    c.networkBindings = bindingsOf(info);
    const h = info.State.Health?.Status;
    if (h) ctx.applyHealth(c, h, new Date().toISOString());
    mergeProbes(c.probes, info);
    ctx.logs.resume(c, logFrom);
    ctx.stats.follow(c);
  } else if (info.State.StartedAt && !info.State.StartedAt.startsWith('0001')) {
    c.startedAt ??= info.State.StartedAt;
    mergeProbes(c.probes, info);
    // What it printed after the last stored line (while Taskdeck was down) is read once, in full.
    ctx.logs.resume(c, logFrom);
    if (c.phase !== 'STOPPED')
      ctx.containerExited(c, info.State.ExitCode, info.State.FinishedAt, info.State.OOMKilled);
  } else if (c.phase !== 'STOPPED') {
    ctx.setPhase(c, 'CREATED');
  }
}
