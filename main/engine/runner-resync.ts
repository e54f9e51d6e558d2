/**
 * After Docker comes back from an outage: what happened to the task's containers while the event
 * stream was down is read from Docker itself (a container that exited, or vanished, during the
 * outage has no event to replay when the daemon itself was down). Only state changes Docker
 * confirms are applied; an inspect that fails for another reason waits for the next reconnect.
 */
import type { RunnerContext } from './runner-context.js';
import { dockerStatus } from './runtime-helpers.js';

/** Inspects every container of a task that is not stopped yet, and the pause container. */
export async function resyncTask(ctx: RunnerContext): Promise<void> {
  const { docker } = ctx.deps;
  const active = ctx.rt.containers.filter((c) => c.dockerId && c.phase !== 'STOPPED' && c.phase !== 'NONE');
  await Promise.all(
    active.map(async (c) => {
      let info;
      try {
        info = await docker.getContainer(c.dockerId!).inspect();
      } catch (err) {
        if (dockerStatus(err) !== 404) return;
        c.reason ??= 'CannotInspectContainerError: container removed while Docker was unreachable';
        ctx.containerExited(c, undefined, new Date(ctx.now()).toISOString(), false);
        return;
      }
      if (info.State.Running) {
        ctx.containerStarted(c, info.State.StartedAt);
        return;
      }
      const started = info.State.StartedAt && !info.State.StartedAt.startsWith('0001');
      if (started) ctx.containerExited(c, info.State.ExitCode, info.State.FinishedAt, info.State.OOMKilled);
    }),
  );
  const pauseId = ctx.rt.pauseContainerId;
  if (pauseId && ctx.rt.desiredStatus === 'RUNNING') {
    try {
      const pause = await docker.getContainer(pauseId).inspect();
      if (!pause.State.Running) ctx.pauseExited(pause.State.FinishedAt, pause.State.ExitCode);
    } catch (err) {
      if (dockerStatus(err) === 404) ctx.pauseExited(new Date(ctx.now()).toISOString());
    }
  }
}
