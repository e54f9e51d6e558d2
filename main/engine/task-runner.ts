/**
 * One task's actor: the only writer of its TaskRuntime. Everything that concerns the task — a
 * launch or stop request, a Docker event, a timer, the result of a Docker call, a log line — is a
 * message (runner-messages.ts) put in its mailbox and applied, one at a time in arrival order, by
 * the one transition function (runner-transition.ts), which then converges (runner-converge.ts):
 * compares desired and known state and starts whatever Docker work is due. Docker calls run
 * concurrently and report back as messages — never by writing into the task from a callback.
 *
 * What is in flight is recorded once: per container its `op`, per task the actor's `taskWork`.
 */
import type { StopCode, TaskDetail } from '../../contract/dto.js';
import type { DockerEvent } from '../docker/docker-events.js';
import { readForAdoption } from './runner-adopt.js';
import type { RunnerDeps } from './runner-context.js';
import { convergeOnce } from './runner-converge.js';
import type { RunnerActor, RunnerMessage } from './runner-messages.js';
import { resyncTask } from './runner-resync.js';
import { requestStop, setPhase, setTaskStatus } from './runner-state.js';
import { applyMessage } from './runner-transition.js';
import { eventSignature } from './task-events.js';
import { TaskLogs } from './task-logs.js';
import { resourcePrefix } from './task-resources.js';
import { TaskStats } from './task-stats.js';
import { toTaskDetail, type TaskRuntime } from './task-runtime.js';

export type { RunnerDeps } from './runner-context.js';

const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 10_000;

/** One task's actor: owns its TaskRuntime and dispatches the Docker work that converges it. */
export class TaskRunner {
  private converging = false;
  private convergeAgain = false;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private deadlineAt = Infinity;
  /** Messages not applied yet, in arrival order. */
  private readonly mailbox: RunnerMessage[] = [];
  private applying = false;
  /** One timer for Docker work that failed for a reason that may pass (Docker unreachable). */
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = RETRY_MIN_MS;
  private readonly logs: TaskLogs;
  /** The containers' stats streams and resource history. */
  readonly stats: TaskStats;
  private readonly stoppedWaiters: ((t: TaskDetail) => void)[] = [];
  private readonly adoptedWaiters: { resolve: () => void; reject: (err: Error) => void }[] = [];
  /** The signature of the last state change announced (version bumped, event emitted). */
  private lastSignature: string | undefined;
  private readonly now: () => number;
  /** This actor as its transition function and its Docker work see it. */
  private readonly ctx: RunnerActor;

  constructor(
    readonly rt: TaskRuntime,
    private readonly deps: RunnerDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.logs = new TaskLogs(
      deps.docker,
      (c, line) => this.receive({ type: 'logLine', c, line }),
      deps.onLogs,
    );
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
      taskWork: undefined,
      now: () => this.now(),
      detail: () => this.detail(),
      setPhase: (c, phase, detail, at) => setPhase(this.ctx, c, phase, detail, at),
      setTaskStatus: (status) => setTaskStatus(this.ctx, status),
      changed: () => this.changed(),
      converge: () => this.converge(),
      dispatch: (msg) => this.receive(msg),
      requestStop: (code, reason, by) => requestStop(this.ctx, code, reason, by),
      retryLater: () => this.retryLater(),
      endTaskWork: (error) => this.endTaskWork(error),
      finish: (clean) => this.finish(clean),
      cleanupRetried: (clean) => this.cleanupRetried(clean),
      armDeadline: (at) => this.armDeadline(at),
      resetRetry: () => this.resetRetry(),
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

  // ---------------------------------------------------------------- inputs: all are messages

  /** Queues `msg`; applies the mailbox in arrival order unless a message is being applied now. */
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
    this.receive({ type: 'launch' });
  }

  /**
   * Re-adopts a task after an engine restart from the containers Docker still has; resolves once
   * its state is rebuilt and its endpoints restored (rejects if Docker could not be read).
   */
  adopt(): Promise<void> {
    // Other task work already under way (an exit seen before the adoption began is being cleaned
    // up): the task is being torn down from what the actor knows; there is nothing to wait for.
    if (this.ctx.taskWork && this.ctx.taskWork !== 'adopt') return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.adoptedWaiters.push({ resolve, reject }));
    if (!this.ctx.taskWork) {
      this.ctx.taskWork = 'adopt';
      readForAdoption(this.ctx);
    }
    return done;
  }

  /** StopTask (or stop after a failure): sets desired STOPPED once; the first reason wins. */
  requestStop(code: StopCode, reason: string, by?: string): void {
    this.receive({ type: 'stopRequested', code, reason, ...(by ? { by } : {}) });
  }

  /**
   * A second stop request: stop as requested (if not already), then SIGKILL whatever still runs,
   * without waiting for the reverse order or stop timeouts. Cleanup follows as usual.
   */
  forceStop(code: StopCode, reason: string): void {
    this.receive({ type: 'stopRequested', code, reason, force: true });
  }

  /**
   * Docker answers again (event stream reconnected): redo at once what failed while it was away —
   * stops that were not delivered, a cleanup that left resources behind.
   */
  onDockerReconnected(): void {
    this.receive({ type: 'dockerReconnected' });
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
    this.receive({ type: 'resumeCleanup' });
  }

  /** A Docker event for one of this task's containers. */
  onDockerEvent(ev: DockerEvent): void {
    this.receive({ type: 'dockerEvent', ev });
  }

  // ---------------------------------------------------------------- the actor's bookkeeping

  /** Brings Docker toward the desired state; re-entrant calls are folded into one more pass. */
  private converge(): void {
    if (this.converging) {
      this.convergeAgain = true;
      return;
    }
    this.converging = true;
    try {
      do {
        this.convergeAgain = false;
        convergeOnce(this.ctx);
      } while (this.convergeAgain);
    } finally {
      this.converging = false;
    }
  }

  private endTaskWork(error?: Error): void {
    const adopting = this.ctx.taskWork === 'adopt';
    this.ctx.taskWork = undefined;
    if (!adopting) return;
    for (const w of this.adoptedWaiters.splice(0)) {
      if (error) w.reject(error);
      else w.resolve();
    }
  }

  /** Converges again after a growing delay (1 s … 10 s); one timer at a time. */
  private retryLater(): void {
    if (this.retryTimer) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.receive({ type: 'retry' });
    }, delay);
  }

  private resetRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryDelay = RETRY_MIN_MS;
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
        this.receive({ type: 'deadline' });
      },
      Math.max(0, at - this.now()) + 5,
    );
  }

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
