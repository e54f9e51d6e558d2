/**
 * A Docker event for one of a task's containers (or its pause container), as the task's transition
 * function applies it: start, die, oom, health, exec, destroy.
 */
import type { DockerEvent } from '../docker/docker-events.js';
import { OOM_REASON } from './runner-context.js';
import { fetchProbes } from './runner-inspect.js';
import type { RunnerActor } from './runner-messages.js';
import { applyHealth, containerExited, containerStarted, pauseExited } from './runner-state.js';

export function applyDockerEvent(a: RunnerActor, ev: DockerEvent): void {
  const rt = a.rt;
  const at = new Date(Math.floor(ev.timeNano / 1e6)).toISOString();
  const action = ev.Action;
  if (ev.Actor.Attributes['com.taskdeck.role'] === 'pause') {
    if ((action === 'die' || action === 'destroy') && ev.Actor.ID === rt.pauseContainerId)
      pauseExited(a, at, action === 'die' ? ev.Actor.Attributes.exitCode : undefined);
    return;
  }
  const name = ev.Actor.Attributes['com.amazonaws.ecs.container-name'];
  const c = rt.containers.find((x) => x.name === name && (!x.dockerId || x.dockerId === ev.Actor.ID));
  if (!c || ev.Actor.Attributes['com.taskdeck.role'] !== 'app') return;
  if (action === 'start') {
    c.dockerId ??= ev.Actor.ID;
    containerStarted(a, c, at);
  } else if (action === 'die') {
    const code = Number(ev.Actor.Attributes.exitCode ?? NaN);
    containerExited(a, c, Number.isFinite(code) ? code : undefined, at, c.oomKilled);
  } else if (action === 'oom') {
    c.oomKilled = true;
    // Docker may report the OOM after the exit.
    if (c.phase === 'STOPPED' && !c.reason) {
      c.reason = OOM_REASON;
      a.changed();
    }
  } else if (action.startsWith('health_status')) {
    const status = action.slice(action.indexOf(':') + 1).trim();
    applyHealth(a, c, status, at);
    fetchProbes(a, c);
  } else if (action.startsWith('exec_die')) {
    fetchProbes(a, c);
  } else if (action === 'destroy' && c.dockerId === ev.Actor.ID && c.phase !== 'STOPPED') {
    // Only a container we know: a failed create also emits `destroy` (for an id we never got).
    containerExited(a, c, c.exitCode, at, false);
    c.reason ??= 'container removed outside Taskdeck';
  }
}
