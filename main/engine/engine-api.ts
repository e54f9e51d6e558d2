/**
 * The engine's public surface: what the CLI, IPC, web mode and tests call. No Electron, no HTTP.
 * Implemented by `TaskEngine` (task-engine.ts).
 */
import type { LaunchType } from './launch-type.js';
import type {
  HealthProbe,
  LogLine,
  PullBehavior,
  PullProgress,
  ResourceSample,
  TaskDetail,
  TaskResources,
  TaskStateChangeEvent,
} from '../../contract/dto.js';
import type { TaskDefinition } from '../task-definition/model.js';
import type { DockerReachabilityState } from '../docker/docker-reachability.js';
import type { StorageHealthState } from '../store/storage-health.js';

/** RunTask `overrides` (ECS shape; cpu/memory are strings as in the API). */
export interface TaskOverrides {
  readonly cpu?: string;
  readonly memory?: string;
  readonly containerOverrides?: readonly ContainerOverride[];
}

export interface ContainerOverride {
  readonly name: string;
  readonly command?: readonly string[];
  readonly environment?: readonly { readonly name: string; readonly value: string }[];
  readonly cpu?: number;
  readonly memory?: number;
  readonly memoryReservation?: number;
}

/** Where a task's local environmentFiles may be read from (never /proc, /sys or /dev). */
export interface EnvironmentFileScope {
  /**
   * The definition file's folder: relative paths resolve against it, and files outside it are
   * refused unless `allowOutside`. Absent when the definition has no folder (the app's library).
   */
  readonly folder?: string;
  /** The user allowed files outside the folder (CLI `--allow-env-files-outside`, or the setting). */
  readonly allowOutside?: boolean;
}

export interface RunTaskInput {
  readonly taskDefinition: TaskDefinition;
  readonly overrides?: TaskOverrides;
  /** Falls back to the engine's default (settings), then `default`. */
  readonly pullBehavior?: PullBehavior;
  /** Library id the definition came from (shown in the UI, used by re-run). */
  readonly definitionId?: string;
  /** Keep containers, networks and volumes after the task stops (CLI `--keep`). */
  readonly keep?: boolean;
  readonly group?: string;
  /** RunTask `startedBy` (up to 128 letters, digits, `-`, `_`, `/`); refused otherwise. */
  readonly startedBy?: string;
  /** Extra secret values for this run (CLI `--secrets-file`), keyed by valueFrom. Never logged. */
  readonly secretsFile?: string;
  /**
   * Hand a task with a taskRoleArn the user's own credentials (short-lived where possible)
   * instead of assuming its role; the task then carries a warning. Default false.
   */
  readonly passOwnCredentials?: boolean;
  /** Host address published ports bind to (default 127.0.0.1; 0.0.0.0 exposes them to the LAN). */
  readonly publishAddress?: string;
  /** Where local environmentFiles may come from; absent: the runtime's base folder, nothing outside it. */
  readonly environmentFileScope?: EnvironmentFileScope;
  /** RunTask `enableExecuteCommand`; unset → the definition's (non-ECS) field, else false. */
  readonly enableExecuteCommand?: boolean;
  /** RunTask `launchType`; unset → FARGATE for Fargate-compatible awsvpc definitions, else EC2. */
  readonly launchType?: LaunchType;
  /** RunTask `tags` (metadata `/taskWithTags`); the definition's own tags are added under them. */
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
}

export interface StopTaskOptions {
  /** SIGKILL everything still running, in no particular order (escalation of a stop in progress). */
  readonly force?: boolean;
}

export interface LogQuery {
  readonly container?: string;
  /** Only lines with seq greater than this. */
  readonly afterSeq?: number;
  /** At most this many lines (the newest ones). */
  readonly limit?: number;
}

export interface EngineEvents {
  /** Every ECS Task State Change, with the task as it is after the change. */
  event: (event: TaskStateChangeEvent, task: TaskDetail) => void;
  /** A batch of new log lines. */
  logs: (lines: readonly LogLine[]) => void;
  /** Health-check probes recorded for the first time (every probe, not only Docker's last five). */
  probes: (taskId: string, container: string, probes: readonly HealthProbe[]) => void;
  /** Image pull progress. */
  pull: (progress: PullProgress) => void;
  /** A new resource sample from a container's Docker stats stream (about one a second each). */
  stats: (taskId: string, container: string, sample: ResourceSample) => void;
  /** Docker stopped answering (event stream lost and a ping failed), or answers again. */
  docker: (state: DockerReachabilityState) => void;
  /** Task history could not be saved (disk full, permissions), or saving works again. */
  storage: (state: StorageHealthState) => void;
}

export interface TaskEngineApi {
  /** Creates the task record (PROVISIONING) and starts launching; resolves with the new task. */
  runTask(input: RunTaskInput): Promise<TaskDetail>;
  /**
   * StopTask: stopCode UserInitiated; resolves once the stop has been *requested*. With `force`
   * (a second request, e.g. a second Ctrl-C) whatever still runs is killed at once; cleanup follows.
   */
  stopTask(taskId: string, reason?: string, options?: StopTaskOptions): Promise<TaskDetail>;
  /** Resolves when the task reaches STOPPED (and its resources are cleaned up). */
  waitForStopped(taskId: string): Promise<TaskDetail>;
  describeTask(taskId: string): TaskDetail | undefined;
  /** Newest first. */
  listTasks(): readonly TaskDetail[];
  events(taskId: string): Promise<readonly TaskStateChangeEvent[]>;
  logs(taskId: string, query?: LogQuery): Promise<readonly LogLine[]>;
  healthProbes(taskId: string): Readonly<Record<string, readonly HealthProbe[]>>;
  /** Resource history per container (kept after the task stops, and across restarts). */
  resources(taskId: string): Promise<TaskResources>;
  /** The (normalised, overridden per container) definition a task runs. */
  taskDefinitionOf(taskId: string): TaskDefinition | undefined;
  stopAll(reason?: string): Promise<void>;
  on<K extends keyof EngineEvents>(name: K, listener: EngineEvents[K]): () => void;
  /** Whether Docker answers (RunTask is refused while it does not). */
  dockerReachability?(): DockerReachabilityState;
  /** Whether task history is being saved. */
  storageHealth?(): StorageHealthState;
  /** Stops listening to Docker and flushes stores; running tasks keep running (re-adopted next start). */
  close(): Promise<void>;
}
