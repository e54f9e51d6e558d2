/**
 * After Docker comes back from an outage: what happened to the task's containers while the event
 * stream was down is read from Docker itself (a container that exited, or vanished, during the
 * outage has no event to replay when the daemon itself was down). Only state changes Docker
 * confirms are applied; an inspect that fails for another reason waits for the next reconnect.
 *
 * The inspects report `resynced` / `pauseGone` messages; the actor judges each against the state
 * it has by then (a container the task stopped and removed meanwhile is not "removed while Docker
 * was unreachable").
 */
import { isoNow, type RunnerContext } from './runner-context.js';
import type { ResyncedState, RunnerActor } from './runner-messages.js';
import { containerExited, containerStarted } from './runner-state.js';
import { dockerStatus } from './runtime-helpers.js';
import type { ContainerRuntime } from './task-runtime.js';

/** Inspects every container of a task that is not stopped yet, and the pause container. */
export async function resyncTask(ctx: RunnerContext): Promise<void> {
  const { docker } = ctx.deps;
  const active = ctx.rt.containers.filter((c) => c.dockerId && c.phase !== 'STOPPED' && c.phase !== 'NONE');
  const pauseId = ctx.rt.desiredStatus === 'RUNNING' ? ctx.rt.pauseContainerId : undefined;
  await Promise.all(
    active.map(async (c) => {
      let info;
      try {
        info = await docker.getContainer(c.dockerId!).inspect();
      } catch (err) {
        if (dockerStatus(err) === 404)
          ctx.dispatch({ type: 'resynced', c, state: { kind: 'gone', at: isoNow(ctx) } });
        return;
      }
      if (info.State.Running) {
        ctx.dispatch({ type: 'resynced', c, state: { kind: 'running', startedAt: info.State.StartedAt } });
        return;
      }
      const started = info.State.StartedAt && !info.State.StartedAt.startsWith('0001');
      if (started) {
        const state = {
          kind: 'exited',
          exitCode: info.State.ExitCode,
          at: info.State.FinishedAt,
          oom: info.State.OOMKilled,
        } as const;
        ctx.dispatch({ type: 'resynced', c, state });
      }
    }),
  );
  if (pauseId) {
    try {
      const pause = await docker.getContainer(pauseId).inspect();
      if (!pause.State.Running)
        ctx.dispatch({ type: 'pauseGone', at: pause.State.FinishedAt, exitCode: pause.State.ExitCode });
    } catch (err) {
      if (dockerStatus(err) === 404) ctx.dispatch({ type: 'pauseGone', at: isoNow(ctx) });
    }
  }
}

/** What a resync's inspect found, applied to the container as the actor knows it now. */
export function applyResynced(a: RunnerActor, c: ContainerRuntime, state: ResyncedState): void {
  if (c.phase === 'STOPPED') return;
  if (state.kind === 'running') containerStarted(a, c, state.startedAt);
  else if (state.kind === 'exited') containerExited(a, c, state.exitCode, state.at, state.oom);
  else {
    c.reason ??= 'CannotInspectContainerError: container removed while Docker was unreachable';
    containerExited(a, c, undefined, state.at, false);
  }
}
