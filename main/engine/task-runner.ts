/**
 * One task's actor: the only writer of its TaskRuntime. Docker events, stop requests, timers and
 * the results of Docker calls all arrive as synchronous handler calls; after each, `converge()`
 * compares desired and known state and starts whatever Docker work is due. Docker calls run
 * concurrently and report back through handlers — never by waiting inside a state change.
 *
 * The Docker work itself is one transition per file (runner-provision, -pull, -create, -start,
 * -stop, -cleanup, -adopt); each gets this actor's RunnerContext and reports back through it.
 */
import { effectiveDependsOn } from './links.js';
import type { ContainerPhase, StopCode, TaskDetail, TaskLastStatus } from '../../contract/dto.js';
import type { DockerEvent } from '../docker/docker-events.js';
import { heldByDeclarationOrder } from './declaration-order.js';
import { PAUSE_CONTAINER_NAME } from './labels.js';
import { resolveDependencies } from './dependency-resolution.js';
import { resyncTask } from './runner-resync.js';
import { adoptTask } from './runner-adopt.js';
import { cleanup, retryCleanup } from './runner-cleanup.js';
import { OOM_REASON, type RunnerDeps } from './runner-context.js';
import { applyMessage, type RunnerActor, type RunnerMessage } from './runner-messages.js';
import { create } from './runner-create.js';
import { fetchProbes, recordOomKill, refreshBindings } from './runner-inspect.js';
import { provision } from './runner-provision.js';
import { pull } from './runner-pull.js';
import { start } from './runner-start.js';
import { stopContainers } from './runner-stop.js';
import { upstreamStates } from './runtime-helpers.js';
import { taskStatusRank } from './status.js';
import { eventSignature } from './task-events.js';
import { TaskLogs } from './task-logs.js';
import { resourcePrefix } from './task-resources.js';
import { TaskStats } from './task-stats.js';
import { toTaskDetail, type ContainerRuntime, type TaskRuntime } from './task-runtime.js';

export type { RunnerDeps } from './runner-context.js';

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 10_000;

/** One task's actor: owns its TaskRuntime and dispatches the Docker work that converges it. */
export class TaskRunner {
  private converging = false;
  private convergeAgain = false;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private deadlineAt = Infinity;
  /** Task-level Docker work in flight (container work is each container's `op`). */
  private taskWork: 'provision' | 'cleanup' | undefined;
  /** Messages from settled Docker calls, applied one at a time in arrival order. */
  private readonly mailbox: RunnerMessage[] = [];
  private applying = false;
  /** One timer for Docker work that failed for a reason that may pass (Docker unreachable). */
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = RETRY_MIN_MS;
  private readonly logs: TaskLogs;
  /** The containers' stats streams and resource history. */
  readonly stats: TaskStats;
  private readonly stoppedWaiters: ((t: TaskDetail) => void)[] = [];
  /** The signature of the last state change announced (version bumped, event emitted). */
  private lastSignature: string | undefined;
  private readonly now: () => number;
  /** This actor as its transitions see it (the launch material lives there). */
  private readonly ctx: RunnerActor;

  constructor(
    readonly rt: TaskRuntime,
    private readonly deps: RunnerDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.logs = new TaskLogs(deps.docker, rt, deps.onLogs);
    this.stats = new TaskStats(
      deps.docker,
      rt,
      deps.onStats ?? (() => {}),
      deps.onStatsPersist ?? (() => {}),
    );
    this.ctx = {
      rt,
      deps,
      logs: this.logs,
      stats: this.stats,
      prepared: undefined,
      now: () => this.now(),
      detail: () => this.detail(),
      setPhase: (c, phase, detail, at) => this.setPhase(c, phase, detail, at),
      setTaskStatus: (status) => this.setTaskStatus(status),
      changed: () => this.changed(),
      converge: () => this.converge(),
      dispatch: (msg) => this.receive(msg),
      endTaskWork: () => (this.taskWork = undefined),
      finish: (clean) => this.finish(clean),
      cleanupRetried: (clean) => this.cleanupRetried(clean),
      requestStop: (code, reason, by) => this.requestStop(code, reason, by),
      failContainer: (c, reason) => this.failContainer(c, reason),
      containerStarted: (c, at) => this.containerStarted(c, at),
      containerExited: (c, exitCode, at, oom) => this.containerExited(c, exitCode, at, oom),
      applyHealth: (c, status, at) => this.applyHealth(c, status, at),
      pauseExited: (at, exitCode) => this.pauseExited(at, exitCode),
      retryLater: () => this.retryLater(),
    };
    // A record read back (version > 0) has announced its current state already.
    if (rt.version > 0) this.lastSignature = eventSignature(this.detail());
  }

  get taskId(): string {
    return this.rt.taskId;
  }

  detail(): TaskDetail {
    return toTaskDetail(this.rt);
  }

  /** Resolves once the task is STOPPED and cleaned up. */
  whenStopped(): Promise<TaskDetail> {
    if (this.rt.lastStatus === 'STOPPED') return Promise.resolve(this.detail());
    return new Promise((resolve) => this.stoppedWaiters.push(resolve));
  }

  // ---------------------------------------------------------------- inputs

  /**
   * A settled Docker call's result: queued, then applied by the one transition function
   * (runner-messages.ts) in arrival order, never nested inside another message.
   */
  private receive(msg: RunnerMessage): void {
    this.mailbox.push(msg);
    if (this.applying) return;
    this.applying = true;
    try {
      for (let next = this.mailbox.shift(); next; next = this.mailbox.shift()) {
        try {
          applyMessage(this.ctx, next);
        } catch (err) {
          console.error(`[taskdeck] task ${this.rt.taskId}: applying ${next.type} failed:`, err);
        }
      }
    } finally {
      this.applying = false;
    }
  }

  /** Starts a new task: first event (PROVISIONING), then converge. */
  launch(): void {
    this.changed();
    this.converge();
  }

  /** Re-adopts a task after an engine restart from the containers Docker still has. */
  adopt(): Promise<void> {
    return adoptTask(this.ctx);
  }

  /** StopTask (or stop after a failure): sets desired STOPPED once; the first reason wins. */
  requestStop(code: StopCode, reason: string, by?: string): void {
    if (this.rt.desiredStatus === 'STOPPED') return;
    const t = new Date(this.now()).toISOString();
    this.rt.desiredStatus = 'STOPPED';
    this.rt.stopCode = code;
    this.rt.stoppedReason = reason;
    this.rt.stoppingAt = t;
    if (code === 'UserInitiated') this.rt.stopRequestedAt = t;
    if (by) this.rt.stoppedBy = by;
    this.changed();
    this.converge();
  }

  /**
   * A second stop request: stop as requested (if not already), then SIGKILL whatever still runs,
   * without waiting for the reverse order or stop timeouts. Cleanup follows as usual.
   */
  forceStop(code: StopCode, reason: string): void {
    this.requestStop(code, reason);
    if (this.rt.stopForced || this.rt.lastStatus === 'STOPPED') return;
    this.rt.stopForced = true;
    this.deps.onPersist();
    this.converge();
  }

  /**
   * Docker answers again (event stream reconnected): redo at once what failed while it was away —
   * stops that were not delivered, a cleanup that left resources behind.
   */
  onDockerReconnected(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryDelay = RETRY_MIN_MS;
    this.retryNow();
    // Log streams cut by the outage re-attach from their last line (containers may have run on).
    this.logs.reattach();
    this.stats.reattach();
  }

  /**
   * Docker is back after an outage: what changed while it was away (a container exited or was
   * removed, the pause container died) is read from Docker and applied.
   */
  resync(): Promise<void> {
    if (this.rt.lastStatus === 'STOPPED') return Promise.resolve();
    return resyncTask(this.ctx);
  }

  /** After an engine restart: a stopped task whose cleanup did not finish gets it finished. */
  resumeCleanup(): void {
    if (this.rt.cleanupPending) this.retryNow();
  }

  /** A Docker event for one of this task's containers. */
  onDockerEvent(ev: DockerEvent): void {
    const at = new Date(Math.floor(ev.timeNano / 1e6)).toISOString();
    const action = ev.Action;
    if (ev.Actor.Attributes['com.taskdeck.role'] === 'pause') {
      if ((action === 'die' || action === 'destroy') && ev.Actor.ID === this.rt.pauseContainerId)
        this.pauseExited(at, action === 'die' ? ev.Actor.Attributes.exitCode : undefined);
      return;
    }
    const name = ev.Actor.Attributes['com.amazonaws.ecs.container-name'];
    const c = this.rt.containers.find((x) => x.name === name && (!x.dockerId || x.dockerId === ev.Actor.ID));
    if (!c || ev.Actor.Attributes['com.taskdeck.role'] !== 'app') return;
    if (action === 'start') {
      c.dockerId ??= ev.Actor.ID;
      this.containerStarted(c, at);
    } else if (action === 'die') {
      const code = Number(ev.Actor.Attributes.exitCode ?? NaN);
      this.containerExited(c, Number.isFinite(code) ? code : undefined, at, c.oomKilled);
    } else if (action === 'oom') {
      c.oomKilled = true;
      // Docker may report the OOM after the exit.
      if (c.phase === 'STOPPED' && !c.reason) {
        c.reason = OOM_REASON;
        this.changed();
      }
    } else if (action.startsWith('health_status')) {
      const status = action.slice(action.indexOf(':') + 1).trim();
      this.applyHealth(c, status, at);
      fetchProbes(this.ctx, c);
    } else if (action.startsWith('exec_die')) {
      fetchProbes(this.ctx, c);
    } else if (action === 'destroy' && c.dockerId === ev.Actor.ID && c.phase !== 'STOPPED') {
      // Only a container we know: a failed create also emits `destroy` (for an id we never got).
      this.containerExited(c, c.exitCode, at, false);
      c.reason ??= 'container removed outside Taskdeck';
    }
  }

  /**
   * The awsvpc pause container owns the task's network namespace; without it the containers have
   * no network. The agent makes it an essential (internal) container, so its exit stops the task
   * like any essential exit; the note on each container says which one it was.
   */
  private pauseExited(at: string, exitCode?: string | number): void {
    if (this.rt.desiredStatus !== 'RUNNING') return;
    const note = `task network namespace gone: the pause container (${PAUSE_CONTAINER_NAME}) exited${exitCode !== undefined ? ` with code ${exitCode}` : ''}`;
    for (const c of this.rt.containers) c.phases.push({ at, phase: c.phase, detail: note });
    this.requestStop('EssentialContainerExited', 'Essential container in task exited', PAUSE_CONTAINER_NAME);
  }

  // ---------------------------------------------------------------- container transitions

  private setPhase(c: ContainerRuntime, phase: ContainerPhase, detail?: string, at?: string): void {
    if (c.phase === phase && !detail) return;
    const last = c.phases[c.phases.length - 1];
    if (last && last.phase === phase && last.detail === detail) return;
    c.phase = phase;
    c.phases.push({ at: at ?? new Date(this.now()).toISOString(), phase, ...(detail ? { detail } : {}) });
  }

  private containerStarted(c: ContainerRuntime, at: string): void {
    if (c.phase === 'RUNNING' || c.phase === 'STOPPING' || c.phase === 'STOPPED') return;
    c.startedAt = at;
    this.setPhase(c, 'RUNNING', undefined, at);
    // Even when the task is already stopping: what it printed before its SIGTERM is still its log.
    this.logs.follow(c);
    this.stats.follow(c);
    refreshBindings(this.ctx, c);
    this.changed();
    this.armDeadlines();
    this.converge();
  }

  private containerExited(
    c: ContainerRuntime,
    exitCode: number | undefined,
    at: string,
    oom: boolean | undefined,
  ): void {
    if (c.phase === 'STOPPED') return;
    if (exitCode !== undefined) c.exitCode = exitCode;
    c.finishedAt = at;
    this.stats.end(c);
    if (oom) c.reason = OOM_REASON;
    // A stopped container is not healthy any more: ECS reports UNKNOWN once it stops.
    if (c.health !== 'UNKNOWN') {
      c.health = 'UNKNOWN';
      c.healthSince = at;
    }
    this.setPhase(c, 'STOPPED', exitCode !== undefined ? `exit ${exitCode}` : undefined, at);
    if (c.def.essential && this.rt.desiredStatus === 'RUNNING') {
      this.requestStop('EssentialContainerExited', 'Essential container in task exited', c.name);
    }
    this.changed();
    this.converge();
    // Docker knows OOM for sure only after the fact; check once (no event for it otherwise).
    if (!oom && c.dockerId && exitCode === 137) recordOomKill(this.ctx, c).catch(() => {});
  }

  private failContainer(c: ContainerRuntime, reason: string): void {
    c.failedReason = reason;
    c.reason = reason;
    c.op = undefined;
    this.setPhase(c, 'STOPPED', reason);
    // A container that cannot start keeps the task from ever reaching RUNNING, so the task stops
    // whichever container it is (§3, §4): TaskFailedToStart with the named error, even when other
    // essential containers (a database, a cache) are already running — the task itself never ran.
    // Only after the task reached RUNNING does an essential container's failure count as its exit.
    const failedToStart = taskStatusRank(this.rt.lastStatus) < taskStatusRank('RUNNING');
    if (failedToStart) this.requestStop('TaskFailedToStart', reason, c.name);
    else if (c.def.essential)
      this.requestStop('EssentialContainerExited', 'Essential container in task exited', c.name);
    this.changed();
  }

  private applyHealth(c: ContainerRuntime, status: string, at: string): void {
    // A late health event (or a re-adoption's inspect) must not revive a stopped container's status.
    if (c.phase === 'STOPPED') return;
    const mapped = status === 'healthy' ? 'HEALTHY' : status === 'unhealthy' ? 'UNHEALTHY' : 'UNKNOWN';
    if (c.health === mapped) return;
    c.health = mapped;
    c.healthSince = at;
    this.changed();
    this.converge();
  }

  // ---------------------------------------------------------------- convergence

  /** Brings Docker toward the desired state; re-entrant calls are folded into one more pass. */
  converge(): void {
    if (this.converging) {
      this.convergeAgain = true;
      return;
    }
    this.converging = true;
    try {
      do {
        this.convergeAgain = false;
        if (this.rt.desiredStatus === 'RUNNING') this.convergeRunning();
        else this.convergeStopped();
      } while (this.convergeAgain);
    } finally {
      this.converging = false;
    }
  }

  private convergeRunning(): void {
    const rt = this.rt;
    if (!rt.provisioned) {
      if (!this.taskWork) {
        this.taskWork = 'provision';
        provision(this.ctx);
      }
      return;
    }
    if (rt.lastStatus === 'PROVISIONING') this.setTaskStatus('PENDING');
    const states = upstreamStates(this.rt.containers);
    const now = this.now();
    let nextDeadline = Infinity;
    for (const [i, c] of rt.containers.entries()) {
      if (c.op || c.phase === 'STOPPED' || c.phase === 'RUNNING' || c.phase === 'STOPPING') continue;
      if (c.phase === 'NONE') {
        pull(this.ctx, c);
        continue;
      }
      if (c.phase === 'PULLED' || c.phase === 'WAITING') {
        const deps = effectiveDependsOn(c.def);
        const res = resolveDependencies(deps, states, now, c.waits);
        const waitsChanged = JSON.stringify(res.waits) !== JSON.stringify(c.waits);
        c.waits = [...res.waits];
        if (res.kind === 'impossible') {
          c.exitCode = 143;
          this.failContainer(c, `CannotStartContainerError: ${res.reason}`);
          continue;
        }
        if (res.kind === 'blocked') {
          if (res.nextDeadline !== undefined) nextDeadline = Math.min(nextDeadline, res.nextDeadline);
          if (c.phase !== 'WAITING' || waitsChanged) {
            this.setPhase(c, 'WAITING', res.reason);
            this.deps.onPersist();
          }
          continue;
        }
        if (!this.volumesFromReady(c)) continue;
        if (waitsChanged) this.deps.onPersist();
        if (!heldByDeclarationOrder(rt.containers, i, 'create')) create(this.ctx, c);
        continue;
      }
      if (c.phase === 'CREATED' && !heldByDeclarationOrder(rt.containers, i, 'start')) start(this.ctx, c);
    }
    this.armDeadline(nextDeadline);
    if (
      rt.pullStartedAt &&
      !rt.pullStoppedAt &&
      rt.containers.every((c) => c.phase !== 'NONE' && c.phase !== 'PULLING')
    ) {
      rt.pullStoppedAt = new Date(now).toISOString();
    }
    const allUp = rt.containers.every((c) => c.phase === 'RUNNING' || (c.phase === 'STOPPED' && c.startedAt));
    if (allUp && taskStatusRank(rt.lastStatus) < taskStatusRank('RUNNING')) {
      rt.startedAt = new Date(now).toISOString();
      this.setTaskStatus('RUNNING');
    }
  }

  /** volumesFrom sources must exist (created) before the container that mounts them. */
  private volumesFromReady(c: ContainerRuntime): boolean {
    return c.def.volumesFrom.every(
      (v) => this.rt.containers.find((x) => x.name === v.sourceContainer)?.dockerId,
    );
  }

  private convergeStopped(): void {
    const rt = this.rt;
    if (this.taskWork === 'provision') return; // finish provisioning first; then everything is torn down
    if (taskStatusRank(rt.lastStatus) < taskStatusRank('STOPPING')) {
      this.setTaskStatus('STOPPING');
    }
    this.armDeadline(Infinity);
    stopContainers(this.ctx);
    const idle = rt.containers.every((c) => c.phase === 'STOPPED' && !c.op);
    if (idle && !this.taskWork && rt.lastStatus !== 'STOPPED') {
      this.taskWork = 'cleanup';
      cleanup(this.ctx);
    }
  }

  /** Converges again after a growing delay (1 s … 10 s); one timer at a time. */
  private retryLater(): void {
    if (this.retryTimer) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retryNow();
    }, delay);
  }

  private retryNow(): void {
    this.converge();
    if (!this.rt.cleanupPending || this.taskWork) return;
    this.taskWork = 'cleanup';
    retryCleanup(this.ctx);
  }

  private cleanupRetried(clean: boolean): void {
    if (!clean) {
      this.retryLater();
      return;
    }
    this.rt.cleanupPending = false;
    this.retryDelay = RETRY_MIN_MS;
    this.deps.onPersist();
  }

  private setTaskStatus(status: TaskLastStatus): void {
    if (taskStatusRank(status) <= taskStatusRank(this.rt.lastStatus)) return;
    this.rt.lastStatus = status;
    this.changed();
  }

  /** One timer for the nearest startTimeout deadline; re-evaluates dependencies when it fires. */
  private armDeadline(at: number): void {
    if (at === this.deadlineAt) return;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.deadlineAt = at;
    if (at === Infinity) return;
    this.deadlineTimer = setTimeout(
      () => {
        this.deadlineTimer = undefined;
        this.deadlineAt = Infinity;
        this.converge();
      },
      Math.max(0, at - this.now()) + 5,
    );
  }

  private armDeadlines(): void {
    // A start may set a new startTimeout deadline; converge computes it.
    this.converge();
  }

  // ---------------------------------------------------------------- end of the task

  private finish(clean: boolean): void {
    const rt = this.rt;
    // The task is stopped either way; what Docker still has for it is removed as soon as it can be.
    if (!clean) {
      rt.cleanupPending = true;
      this.retryLater();
    }
    if (rt.attachments[0]) rt.attachments = [{ ...rt.attachments[0], status: 'DELETED' }];
    rt.stoppedAt = new Date(this.now()).toISOString();
    rt.lastStatus = 'STOPPED';
    this.changed();
    const d = this.detail();
    for (const w of this.stoppedWaiters.splice(0)) w(d);
  }

  /**
   * Records a change. One that an event reports (a new signature) bumps the task's one version
   * counter and tells the engine, which emits the event with this very detail; any other change is
   * only persisted. So what the API answers and what pushes carry share one version sequence.
   */
  private changed(): void {
    const sig = eventSignature(this.detail());
    if (sig === this.lastSignature) {
      this.deps.onPersist();
      return;
    }
    this.lastSignature = sig;
    this.rt.version++;
    this.deps.onChange(this.detail());
  }

  /** Stops timers, log followers and stats streams without touching Docker (engine shutdown; task keeps running). */
  detach(): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.logs.detach();
    this.stats.endAll();
  }

  /** Name prefix of this task's Docker objects. */
  static dockerName(family: string, taskId: string, container: string): string {
    return `${resourcePrefix(family, taskId)}-${container}`;
  }
}
