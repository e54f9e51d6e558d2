/**
 * What a task runner's Docker work (provision, pull, create, start, stop, cleanup, adopt, resync,
 * endpoints) sees of its actor. The work is started from inside the actor (its converge step) and
 * reports every result back with `dispatch`, so the actor's transition function stays the task's
 * only writer.
 */
import type Docker from '../docker/docker-client.js';
import type {
  ContainerPhase,
  HealthProbe,
  LogLine,
  ResourceSample,
  StopCode,
  TaskDetail,
  TaskLastStatus,
} from '../../contract/dto.js';
import type { LogTail } from '../store/container-log-files.js';
import type { ImagePuller, PullProgressLine } from './image-puller.js';
import type { LaunchHooks, PreparedLaunch } from './launch-hooks.js';
import type { RunnerMessage } from './runner-messages.js';
import { createRedactor, type Redactor } from './redact-values.js';
import type { TaskLogs } from './task-logs.js';
import type { TaskStats } from './task-stats.js';
import type { ContainerRuntime, TaskRuntime } from './task-runtime.js';

/** The reason ECS gives a container the kernel killed for its memory use. */
export const OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';

/** What a runner needs from the engine. */
export interface RunnerDeps {
  readonly docker: Docker;
  readonly puller: ImagePuller;
  readonly pauseImage: string;
  readonly hooks: LaunchHooks;
  /** Called with the task after every event-worthy change (version already bumped). */
  readonly onChange: (task: TaskDetail) => void;
  /** Called when the record should be persisted (no new event). */
  readonly onPersist: () => void;
  readonly onLogs: (lines: LogLine[]) => void;
  /** Where the task's stored log ends (re-adoption resumes each container's log from there). */
  readonly logTail?: () => Promise<LogTail>;
  readonly onProbes?: (container: string, probes: readonly HealthProbe[]) => void;
  readonly onPull: (container: string, image: string, line: PullProgressLine) => void;
  /** A new resource sample from a container's stats stream. */
  readonly onStats?: (container: string, sample: ResourceSample) => void;
  /** The resource history should be saved (a container stopped, or it is time to). */
  readonly onStatsPersist?: () => void;
  readonly now?: () => number;
}

/** One task's state and its actor's handlers, as the transitions use them. */
export interface RunnerContext {
  readonly rt: TaskRuntime;
  readonly deps: RunnerDeps;
  readonly logs: TaskLogs;
  readonly stats: TaskStats;
  /** Launch material from the hooks: set by provisioning (or re-adoption), read by later steps. */
  prepared: PreparedLaunch | undefined;
  /** The injected clock (milliseconds). */
  now(): number;
  /** The task as the API shows it. */
  detail(): TaskDetail;
  /** Records a container phase change (deduplicated). */
  setPhase(c: ContainerRuntime, phase: ContainerPhase, detail?: string, at?: string): void;
  /** Moves the task's status forward (never back). */
  setTaskStatus(status: TaskLastStatus): void;
  /** Records a change: an event-worthy one bumps the version and emits the task, any other is persisted. */
  changed(): void;
  /** Brings Docker toward the desired state. */
  converge(): void;
  /** Reports a settled Docker call to the actor (its only way back: no mutation in callbacks). */
  dispatch(msg: RunnerMessage): void;
  /** Sets desired STOPPED once; the first reason wins. */
  requestStop(code: StopCode, reason: string, by?: string): void;
  /** Docker work failed for a reason that may pass (Docker unreachable): converge again later. */
  retryLater(): void;
}

/** The context's clock as an RFC 3339 timestamp. */
export function isoNow(ctx: RunnerContext): string {
  return new Date(ctx.now()).toISOString();
}

const redactors = new WeakMap<PreparedLaunch, Redactor>();

/**
 * Docker's error text with the task's resolved secret and environment-file values hidden: every
 * Docker error goes through here before it becomes a reason, an event or a record.
 */
export function redactedDockerText(ctx: RunnerContext, text: string): string {
  return redactedText(ctx.prepared, text);
}

/** `text` with the secret values of `prepared` (launch material not yet the actor's) hidden. */
export function redactedText(prepared: PreparedLaunch | undefined, text: string): string {
  if (!prepared?.sensitiveValues?.length) return text;
  let redact = redactors.get(prepared);
  if (!redact) {
    redact = createRedactor(prepared.sensitiveValues);
    redactors.set(prepared, redact);
  }
  return redact(text);
}
