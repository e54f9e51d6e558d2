/**
 * The state changes a task's transition function makes: container phases, the task's status and
 * desired status, a container starting, exiting, failing, its health. Called only while the actor
 * applies a message (or converges), never from a Docker callback. Each is idempotent against a
 * container that moved on: a late answer cannot revive what has stopped.
 */
import type { ContainerPhase, StopCode, TaskLastStatus } from '../../contract/dto.js';
import { OOM_REASON, isoNow, type RunnerContext } from './runner-context.js';
import { recordOomKill, refreshBindings } from './runner-inspect.js';
import type { EndpointNote, RunnerActor } from './runner-messages.js';
import { PAUSE_CONTAINER_NAME } from './labels.js';
import { taskStatusRank } from './status.js';
import type { ContainerRuntime } from './task-runtime.js';

/** Records a container phase change (deduplicated). */
export function setPhase(
  ctx: RunnerContext,
  c: ContainerRuntime,
  phase: ContainerPhase,
  detail?: string,
  at?: string,
): void {
  if (c.phase === phase && !detail) return;
  const last = c.phases[c.phases.length - 1];
  if (last && last.phase === phase && last.detail === detail) return;
  c.phase = phase;
  c.phases.push({ at: at ?? isoNow(ctx), phase, ...(detail ? { detail } : {}) });
}

/** Moves the task's status forward (never back). */
export function setTaskStatus(ctx: RunnerContext, status: TaskLastStatus): void {
  if (taskStatusRank(status) <= taskStatusRank(ctx.rt.lastStatus)) return;
  ctx.rt.lastStatus = status;
  ctx.changed();
}

/** StopTask (or stop after a failure): sets desired STOPPED once; the first reason wins. */
export function requestStop(ctx: RunnerContext, code: StopCode, reason: string, by?: string): void {
  const rt = ctx.rt;
  if (rt.desiredStatus === 'STOPPED') return;
  const t = isoNow(ctx);
  rt.desiredStatus = 'STOPPED';
  rt.stopCode = code;
  rt.stoppedReason = reason;
  rt.stoppingAt = t;
  if (code === 'UserInitiated') rt.stopRequestedAt = t;
  if (by) rt.stoppedBy = by;
  ctx.changed();
  ctx.converge();
}

/**
 * A second stop request: stop as requested (if not already), then SIGKILL whatever still runs,
 * without waiting for the reverse order or stop timeouts. Cleanup follows as usual.
 */
export function forceStop(a: RunnerActor, code: StopCode, reason: string): void {
  requestStop(a, code, reason);
  if (a.rt.stopForced || a.rt.lastStatus === 'STOPPED') return;
  a.rt.stopForced = true;
  a.deps.onPersist();
  a.converge();
}

/** The container is running (idempotent; a container that stopped is not revived). */
export function containerStarted(a: RunnerActor, c: ContainerRuntime, at: string): void {
  if (c.phase === 'RUNNING' || c.phase === 'STOPPING' || c.phase === 'STOPPED') return;
  c.startedAt = at;
  setPhase(a, c, 'RUNNING', undefined, at);
  // Even when the task is already stopping: what it printed before its SIGTERM is still its log.
  a.logs.follow(c);
  a.stats.follow(c);
  refreshBindings(a, c);
  a.changed();
  // A start may set a new startTimeout deadline; converge computes it.
  a.converge();
}

/** The container has exited (idempotent). */
export function containerExited(
  a: RunnerActor,
  c: ContainerRuntime,
  exitCode: number | undefined,
  at: string,
  oom: boolean | undefined,
): void {
  if (c.phase === 'STOPPED') return;
  // A stop or kill in flight is done with; a pull, create or start still gets its answer.
  if (c.op === 'stop' || c.op === 'kill') c.op = undefined;
  if (exitCode !== undefined) c.exitCode = exitCode;
  c.finishedAt = at;
  a.stats.end(c);
  if (oom) c.reason = OOM_REASON;
  // A stopped container is not healthy any more: ECS reports UNKNOWN once it stops.
  if (c.health !== 'UNKNOWN') {
    c.health = 'UNKNOWN';
    c.healthSince = at;
  }
  setPhase(a, c, 'STOPPED', exitCode !== undefined ? `exit ${exitCode}` : undefined, at);
  if (c.def.essential && a.rt.desiredStatus === 'RUNNING') {
    requestStop(a, 'EssentialContainerExited', 'Essential container in task exited', c.name);
  }
  a.changed();
  a.converge();
  // Docker knows OOM for sure only after the fact; check once (no event for it otherwise).
  if (!oom && c.dockerId && exitCode === 137) recordOomKill(a, c).catch(() => {});
}

/** The container can never start (pull/create/start/dependency failure); may stop the task. */
export function failContainer(a: RunnerActor, c: ContainerRuntime, reason: string): void {
  c.failedReason = reason;
  c.reason = reason;
  c.op = undefined;
  setPhase(a, c, 'STOPPED', reason);
  // A container that cannot start keeps the task from ever reaching RUNNING, so the task stops
  // whichever container it is (§3, §4): TaskFailedToStart with the named error, even when other
  // essential containers (a database, a cache) are already running — the task itself never ran.
  // Only after the task reached RUNNING does an essential container's failure count as its exit.
  const failedToStart = taskStatusRank(a.rt.lastStatus) < taskStatusRank('RUNNING');
  if (failedToStart) requestStop(a, 'TaskFailedToStart', reason, c.name);
  else if (c.def.essential)
    requestStop(a, 'EssentialContainerExited', 'Essential container in task exited', c.name);
  a.changed();
}

/** Docker's health status for the container (`healthy`, `unhealthy`, `starting`). */
export function applyHealth(a: RunnerActor, c: ContainerRuntime, status: string, at: string): void {
  // A late health event (or a re-adoption's inspect) must not revive a stopped container's status.
  if (c.phase === 'STOPPED') return;
  const mapped = status === 'healthy' ? 'HEALTHY' : status === 'unhealthy' ? 'UNHEALTHY' : 'UNKNOWN';
  if (c.health === mapped) return;
  c.health = mapped;
  c.healthSince = at;
  a.changed();
  a.converge();
}

/**
 * The awsvpc pause container owns the task's network namespace; without it the containers have
 * no network. The agent makes it an essential (internal) container, so its exit stops the task
 * like any essential exit; the note on each container says which one it was.
 */
export function pauseExited(a: RunnerActor, at: string, exitCode?: string | number): void {
  if (a.rt.desiredStatus !== 'RUNNING') return;
  const note = `task network namespace gone: the pause container (${PAUSE_CONTAINER_NAME}) exited${exitCode !== undefined ? ` with code ${exitCode}` : ''}`;
  for (const c of a.rt.containers) c.phases.push({ at, phase: c.phase, detail: note });
  requestStop(a, 'EssentialContainerExited', 'Essential container in task exited', PAUSE_CONTAINER_NAME);
}

/**
 * Notes about the task endpoints go into the phase history of the containers they concern — not
 * into a container that has stopped meanwhile (nothing there can call the endpoints any more).
 */
export function noteEndpoints(a: RunnerActor, notes: readonly EndpointNote[]): void {
  let noted = false;
  for (const { c, note } of notes) {
    for (const x of c ? [c] : a.rt.containers) {
      if (x.phase === 'STOPPED') continue;
      x.phases.push({ at: isoNow(a), phase: x.phase, detail: note });
      noted = true;
    }
  }
  if (noted) a.deps.onPersist();
}
