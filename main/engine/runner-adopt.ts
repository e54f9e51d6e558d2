/**
 * Re-adoption after an engine restart: rebuilds a task's container phases from what Docker still
 * has (found by label), resumes each container's log after its last stored line (running or
 * exited meanwhile) with sequence numbers continuing from the stored ones, resumes health, and
 * restores the task endpoints.
 *
 * The Docker reads run as the actor's task work `adopt` and come back as an `adoptionRead` message;
 * the endpoint restore that follows comes back as `endpointsRestored`. Docker events that arrive
 * meanwhile are applied as usual (a container that exits during adoption is not revived by an
 * older inspect), but nothing is started or stopped until the adoption has settled.
 */
import type Docker from '../docker/docker-client.js';
import type { LogTail } from '../store/container-log-files.js';
import type { PreparedLaunch } from './launch-hooks.js';
import type { LogCursor } from './log-cursor.js';
import { restoreEndpoints } from './runner-endpoints.js';
import { isoNow, type RunnerContext } from './runner-context.js';
import type { EndpointNote, RunnerActor } from './runner-messages.js';
import { applyHealth, containerExited, noteEndpoints, pauseExited, setPhase } from './runner-state.js';
import { bindingsOf, mergeProbes } from './runtime-helpers.js';
import type { ContainerRuntime } from './task-runtime.js';

/** Reads the task's containers and stored log end from Docker; reports `adoptionRead`. */
export function readForAdoption(ctx: RunnerContext): void {
  const { docker } = ctx.deps;
  (async () => {
    const found = await docker.listContainers({
      all: true,
      filters: { label: [`com.taskdeck.task-id=${ctx.rt.taskId}`] },
    });
    // The stored log, not the record (saved on state changes only), says where each log ends.
    const tail = await ctx.deps.logTail?.().catch(() => undefined);
    const infos = await Promise.all(
      found.map((c) =>
        docker
          .getContainer(c.Id)
          .inspect()
          .catch(() => undefined),
      ),
    );
    return { infos: infos.filter((i): i is Docker.ContainerInspectInfo => i !== undefined), tail };
  })().then(
    ({ infos, tail }) => ctx.dispatch({ type: 'adoptionRead', infos, tail }),
    (err: Error) => ctx.dispatch({ type: 'adoptionFailed', message: err.message }),
  );
}

/** Brings the task's state in line with its Docker containers; then the endpoints are restored. */
export function applyAdoptionRead(
  a: RunnerActor,
  infos: readonly Docker.ContainerInspectInfo[],
  tail: LogTail | undefined,
): void {
  const rt = a.rt;
  if (tail) rt.logSeq = Math.max(rt.logSeq, tail.lastSeq);
  for (const c of rt.containers) {
    // Nothing of the last run's Docker work is in flight now: a stop that did not take is resent.
    c.op = undefined;
    const info = infos.find(
      (i) =>
        i.Config.Labels['com.amazonaws.ecs.container-name'] === c.name &&
        i.Config.Labels['com.taskdeck.role'] === 'app',
    );
    if (info) adoptContainer(a, c, info, tail?.containers[c.name]);
    else if (c.dockerId && c.phase !== 'STOPPED') {
      // It existed and is gone: it was removed while we were away.
      setPhase(a, c, 'STOPPED', 'container disappeared while Taskdeck was not running');
      c.reason ??= 'CannotInspectContainerError: container removed outside Taskdeck';
    } else if (c.phase === 'PULLING') {
      c.phase = 'NONE';
    }
  }
  rt.provisioned = true;
  const pauseId = rt.pauseContainerId;
  if (pauseId) {
    // The pause container is essential: if it ended while we were away, so does the task.
    const pause = infos.find((i) => i.Id === pauseId);
    if (!pause?.State.Running) pauseExited(a, pause?.State.FinishedAt ?? isoNow(a), pause?.State.ExitCode);
  }
  a.deps.onPersist();
  if (rt.desiredStatus === 'RUNNING') restoreEndpoints(a);
  else a.endTaskWork();
}

/** The endpoint restore ended: its launch material serves the task from now on (and is disposed with it). */
export function applyEndpointsRestored(
  a: RunnerActor,
  prepared: PreparedLaunch | undefined,
  notes: readonly EndpointNote[],
): void {
  const rt = a.rt;
  if (prepared) {
    a.prepared = prepared;
    rt.endpointState = prepared.endpointState;
    if (prepared.credentialsWarning) rt.credentialsWarning = prepared.credentialsWarning;
  }
  noteEndpoints(a, notes);
  a.deps.onPersist();
  a.endTaskWork();
}

/** One container Docker still has: running, exited after a start, or created only. */
function adoptContainer(
  a: RunnerActor,
  c: ContainerRuntime,
  info: Docker.ContainerInspectInfo,
  logFrom: LogCursor | undefined,
): void {
  c.dockerId = info.Id;
  const started = info.State.StartedAt && !info.State.StartedAt.startsWith('0001');
  // A container the actor knows stopped (its record, or a `die` during the adoption) stays stopped.
  if (info.State.Running && c.phase !== 'STOPPED') {
    if (c.phase !== 'RUNNING' && c.phase !== 'STOPPING') setPhase(a, c, 'RUNNING');
    c.startedAt ??= info.State.StartedAt;
    c.networkBindings = bindingsOf(info);
    const h = info.State.Health?.Status;
    if (h) applyHealth(a, c, h, isoNow(a));
    mergeProbes(c.probes, info);
    a.logs.resume(c, logFrom);
    a.stats.follow(c);
  } else if (started) {
    c.startedAt ??= info.State.StartedAt;
    mergeProbes(c.probes, info);
    // What it printed after the last stored line (while Taskdeck was down) is read once, in full.
    a.logs.resume(c, logFrom);
    containerExited(a, c, info.State.ExitCode, info.State.FinishedAt, info.State.OOMKilled);
  } else if (c.phase !== 'STOPPED') {
    setPhase(a, c, 'CREATED');
  }
}
