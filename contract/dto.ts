/**
 * Data shapes that cross process boundaries (engine → CLI, IPC, web mode, renderer).
 * Field names follow the ECS API where ECS has the concept. Plain JSON only: timestamps are
 * ISO-8601 strings. Imports nothing (contract rule).
 */

export type TaskLastStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED';
export type DesiredStatus = 'RUNNING' | 'STOPPED';
export type ContainerLastStatus = 'PENDING' | 'RUNNING' | 'STOPPED';
export type HealthStatus = 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
export type StopCode = 'TaskFailedToStart' | 'EssentialContainerExited' | 'UserInitiated';
export type PullBehavior = 'default' | 'always' | 'once' | 'prefer-cached';
export const PULL_BEHAVIORS: readonly PullBehavior[] = ['default', 'always', 'once', 'prefer-cached'];

/** Engine-internal container phase, finer than lastStatus (the timeline and graph use it). */
export type ContainerPhase =
  | 'NONE'
  | 'WAITING' // blocked on dependsOn
  | 'PULLING'
  | 'PULLED'
  | 'CREATED'
  | 'RUNNING'
  | 'STOPPING'
  | 'STOPPED';

export interface NameValue {
  readonly name: string;
  readonly value: string;
}

export interface NetworkBinding {
  readonly bindIP: string;
  readonly containerPort: number;
  readonly hostPort: number;
  readonly protocol: 'tcp' | 'udp';
}

export interface NetworkInterface {
  readonly attachmentId?: string;
  readonly privateIpv4Address?: string;
}

export interface Attachment {
  readonly id: string;
  readonly type: 'ElasticNetworkInterface';
  readonly status: 'PRECREATED' | 'ATTACHED' | 'DELETED';
  readonly details: readonly NameValue[];
}

/** One health-check probe as Docker ran it. */
export interface HealthProbe {
  readonly start: string;
  readonly end: string;
  readonly exitCode: number;
  readonly output: string;
}

/** One entry of a container's lifecycle history (drives the launch timeline). */
export interface PhaseChange {
  readonly at: string;
  readonly phase: ContainerPhase;
  /** Why, when there is something to say ("waiting for db: HEALTHY", an error…). */
  readonly detail?: string;
}

/** Why a container has not been created yet. */
export interface DependencyWait {
  readonly containerName: string;
  readonly condition: 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY';
  readonly state: 'waiting' | 'met' | 'failed';
  readonly detail: string;
  /** When the condition was met or failed. */
  readonly at?: string;
}

/** A container in ECS DescribeTasks shape, plus Taskdeck's extras (after the blank line). */
export interface ContainerDetail {
  readonly containerArn: string;
  readonly taskArn: string;
  readonly name: string;
  readonly image: string;
  readonly imageDigest?: string;
  readonly runtimeId?: string;
  readonly lastStatus: ContainerLastStatus;
  readonly exitCode?: number;
  readonly reason?: string;
  readonly healthStatus: HealthStatus;
  readonly networkBindings: readonly NetworkBinding[];
  readonly networkInterfaces: readonly NetworkInterface[];
  readonly cpu?: string;
  readonly memory?: string;
  readonly memoryReservation?: string;

  readonly essential: boolean;
  readonly phase: ContainerPhase;
  readonly phases: readonly PhaseChange[];
  readonly dependencies: readonly DependencyWait[];
  readonly createdAt?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly healthSince?: string;
  /** awslogs stream name `<prefix>/<container>/<taskId>` when configured. */
  readonly logStreamName?: string;
}

/** A task in ECS DescribeTasks shape, plus Taskdeck's extras (after the blank line). */
export interface TaskDetail {
  readonly taskArn: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly lastStatus: TaskLastStatus;
  readonly desiredStatus: DesiredStatus;
  readonly healthStatus: HealthStatus;
  readonly launchType: string;
  readonly group: string;
  /** RunTask `startedBy`; a service's tasks carry their deployment id (`ecs-svc/<19 digits>`). */
  readonly startedBy?: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly attachments: readonly Attachment[];
  readonly containers: readonly ContainerDetail[];
  readonly createdAt: string;
  readonly pullStartedAt?: string;
  readonly pullStoppedAt?: string;
  readonly startedAt?: string;
  readonly stoppingAt?: string;
  readonly executionStoppedAt?: string;
  readonly stoppedAt?: string;
  readonly stopCode?: StopCode;
  readonly stoppedReason?: string;
  readonly version: number;

  readonly taskId: string;
  readonly family: string;
  readonly revision: number;
  readonly networkMode: string;
  /** Id of the saved definition this task was launched from, when launched from the library. */
  readonly definitionId?: string;
  readonly stopRequestedAt?: string;
  /** The essential container whose exit stopped the task. */
  readonly stoppedBy?: string;
  /** Set when the task got the user's own AWS credentials instead of its task role (shown as a warning). */
  readonly credentialsWarning?: string;
  /** RunTask `enableExecuteCommand`: whether ECS Exec (`exec:start`, `taskdeck exec`) may open a shell. */
  readonly enableExecuteCommand?: boolean;
}

/** EventBridge "ECS Task State Change" event (semantics §10). */
export interface TaskStateChangeEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'ECS Task State Change';
  readonly source: 'aws.ecs';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: TaskEventDetail;
}

export interface TaskEventDetail {
  readonly taskArn: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly lastStatus: TaskLastStatus;
  readonly desiredStatus: DesiredStatus;
  readonly healthStatus: HealthStatus;
  readonly launchType: string;
  readonly group: string;
  /** RunTask `startedBy`; a service's tasks carry their deployment id (`ecs-svc/<19 digits>`). */
  readonly startedBy?: string;
  readonly cpu?: string;
  readonly memory?: string;
  readonly attachments: readonly Attachment[];
  readonly containers: readonly EventContainer[];
  readonly createdAt: string;
  readonly pullStartedAt?: string;
  readonly pullStoppedAt?: string;
  readonly startedAt?: string;
  readonly stoppingAt?: string;
  readonly executionStoppedAt?: string;
  readonly stoppedAt?: string;
  readonly stopCode?: StopCode;
  readonly stoppedReason?: string;
  readonly version: number;
}

export interface EventContainer {
  readonly containerArn: string;
  readonly taskArn: string;
  readonly name: string;
  readonly image: string;
  readonly imageDigest?: string;
  readonly runtimeId?: string;
  readonly lastStatus: ContainerLastStatus;
  readonly exitCode?: number;
  readonly reason?: string;
  readonly healthStatus: HealthStatus;
  readonly networkBindings: readonly NetworkBinding[];
  readonly networkInterfaces: readonly NetworkInterface[];
  readonly cpu?: string;
  readonly memory?: string;
}

export interface LogLine {
  readonly taskId: string;
  readonly container: string;
  readonly stream: 'stdout' | 'stderr';
  /** ISO timestamp from Docker. */
  readonly time: string;
  readonly text: string;
  /** Monotonic per task; lets clients de-duplicate history + live lines. */
  readonly seq: number;
  /**
   * Set on a marker record, not a line the container wrote: this many of the container's oldest
   * lines were dropped to keep its log under the on-disk cap (`text` says so; `seq`/`time` are the
   * newest dropped line's).
   */
  readonly dropped?: number;
}

export interface PullProgress {
  readonly taskId: string;
  readonly container: string;
  readonly image: string;
  /** Layer id, or '' for whole-image status lines. */
  readonly layer: string;
  readonly status: string;
  readonly current?: number;
  readonly total?: number;
}

export interface DockerStatus {
  readonly connected: boolean;
  readonly endpoint: string;
  readonly source: string;
  readonly serverVersion?: string;
  readonly apiVersion?: string;
  readonly error?: string;
}

/** Error envelope crossing transports. */
export interface ApiError {
  readonly code: string;
  readonly message: string;
  readonly path?: string;
  readonly issues?: readonly {
    readonly path: string;
    readonly message: string;
    readonly line?: number;
    readonly column?: number;
  }[];
}

// ---- Application-level DTOs (definitions library, settings, connection) --------------------

/** Docker connection state as the app shows it, with a human hint on how to fix a failure. */
export interface DockerConnectionStatus extends DockerStatus {
  /** What the user can do about `error` ("Start Docker Desktop…", "Check DOCKER_HOST…"). */
  readonly hint?: string;
  /** When this state was observed (ISO). */
  readonly checkedAt?: string;
  /** A connection attempt is in progress. */
  readonly connecting?: boolean;
  /**
   * Docker stopped answering after it was connected (ISO time): "Docker unreachable since
   * hh:mm:ss, retrying". Taskdeck reconnects on its own and refuses new tasks until then.
   */
  readonly unreachableSince?: string;
  /** Task history cannot be saved ("cannot save task history: disk full"); tasks are still managed. */
  readonly storageError?: string;
  /** When saving first failed (ISO). */
  readonly storageErrorSince?: string;
}

/** A validation problem located by JSON path (mirrors the parser's DefinitionIssue). */
export interface DefinitionIssueView {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

/** One container of a saved definition, as the library screen shows it. */
export interface ContainerDefinitionView {
  readonly name: string;
  readonly image: string;
  readonly essential: boolean;
  readonly command?: readonly string[];
  readonly entryPoint?: readonly string[];
  readonly cpu: number;
  readonly memory?: number;
  readonly memoryReservation?: number;
  readonly portMappings: readonly {
    readonly containerPort: number;
    readonly hostPort?: number;
    readonly protocol: string;
  }[];
  readonly environment: readonly NameValue[];
  readonly secrets: readonly { readonly name: string; readonly valueFrom: string }[];
  readonly healthCheck?: {
    readonly command: readonly string[];
    readonly interval: number;
    readonly timeout: number;
    readonly retries: number;
    readonly startPeriod: number;
  };
  readonly dependsOn: readonly { readonly containerName: string; readonly condition: string }[];
  readonly stopTimeout?: number;
  readonly startTimeout?: number;
}

/** The normalised definition, reduced to what the UI shows. */
export interface TaskDefinitionView {
  readonly family: string;
  readonly revision: number;
  readonly networkMode: string;
  readonly cpu?: number;
  readonly memory?: number;
  readonly taskRoleArn?: string;
  readonly executionRoleArn?: string;
  readonly containers: readonly ContainerDefinitionView[];
  /** Settings that reach into the host; launching needs the user's explicit confirmation. */
  readonly hostAccess?: readonly HostAccessItem[];
}

/** One host-access setting of a definition (privileged, host root/Docker socket mount, …). */
export interface HostAccessItem {
  /** JSON path, e.g. `containerDefinitions[0].privileged`. */
  readonly path: string;
  /** Short name, e.g. `privileged`, `capability SYS_ADMIN`, `bind mount of /`. */
  readonly setting: string;
  /** What it gives the container. */
  readonly message: string;
}

/** A library entry in list form. */
export interface DefinitionSummary {
  readonly id: string;
  /** Family when the text parses, else the file name (or "untitled"). */
  readonly family: string;
  readonly fileName?: string;
  readonly valid: boolean;
  readonly networkMode?: string;
  readonly containerNames: readonly string[];
  readonly errorCount: number;
  readonly warningCount: number;
  readonly importedAt: string;
  readonly updatedAt: string;
}

/** A library entry with its source text and validation outcome. */
export interface DefinitionDetail extends DefinitionSummary {
  readonly text: string;
  readonly definition?: TaskDefinitionView;
  readonly errors: readonly DefinitionIssueView[];
  readonly warnings: readonly DefinitionIssueView[];
}

/** Outcome of validating text without saving it. */
export interface DefinitionValidation {
  readonly valid: boolean;
  readonly definition?: TaskDefinitionView;
  readonly errors: readonly DefinitionIssueView[];
  readonly warnings: readonly DefinitionIssueView[];
}

export type ThemePreference = 'light' | 'dark' | 'system';

/** Persisted user settings. */
export interface Settings {
  /** Docker endpoint override (unix:///…, tcp://…, npipe://…); empty = automatic. */
  readonly dockerEndpoint?: string;
  /** Docker CLI context name; empty = current context. */
  readonly dockerContext?: string;
  readonly awsProfile?: string;
  readonly defaultPullBehavior: PullBehavior;
  /** Where task records, logs and the library live. Changing it applies on next start. */
  readonly dataDir: string;
  readonly theme: ThemePreference;
  /**
   * Tasks with a taskRoleArn get the user's own AWS credentials (short-lived where possible)
   * instead of assuming the task role. Default false; the launch dialog can choose per launch.
   */
  readonly passOwnCredentials?: boolean;
  /** Publish task ports on every interface (0.0.0.0) instead of 127.0.0.1 only. */
  readonly exposePorts: boolean;
  /** Let environmentFiles name local files outside the definition's folder (never /proc, /sys, /dev). */
  readonly allowEnvFilesOutsideFolder: boolean;
  /** Log kept on disk per container, in MB (oldest lines dropped beyond it); absent = 50. */
  readonly logCapMB?: number;
  /**
   * Local secrets file for container `secrets` (JSON object keyed by valueFrom, as the CLI's
   * --secrets-file); absent = none. Only the path is kept here: values never leave the main side.
   */
  readonly secretsFile?: string;
  /** Resolve secrets the file lacks from Secrets Manager / SSM with the local AWS chain (CLI --aws-secrets). */
  readonly awsSecrets?: boolean;
  /** Region tasks run in (ARNs, metadata, AWS_REGION); absent = the local AWS config, else us-east-1. */
  readonly region?: string;
  /** Account in ARNs and events; absent = the caller identity when credentials exist, else 000000000000. */
  readonly account?: string;
}

/** The on-disk log cap per container when Settings has none (MB). */
export const DEFAULT_LOG_CAP_MB = 50;

/** How a task was launched, kept so "Re-run" can offer the same choices. */
export interface LaunchRecord {
  readonly taskId: string;
  readonly definitionId?: string;
  readonly overrides?: LaunchOverrides;
  readonly pullBehavior?: PullBehavior;
  /** The launch passed the user's own AWS credentials instead of assuming the task role. */
  readonly passOwnCredentials?: boolean;
  /** RunTask `enableExecuteCommand` of the launch (re-run keeps it). */
  readonly enableExecuteCommand?: boolean;
  /** RunTask `launchType` chosen for the launch (absent: the definition's default). */
  readonly launchType?: LaunchTypeChoice;
}

/** RunTask `launchType` values Taskdeck reproduces. */
export const LAUNCH_TYPE_CHOICES = ['EC2', 'FARGATE'] as const;
export type LaunchTypeChoice = (typeof LAUNCH_TYPE_CHOICES)[number];

/** RunTask overrides as the launch dialog edits them. */
export interface LaunchOverrides {
  readonly containerOverrides?: readonly {
    readonly name: string;
    readonly command?: readonly string[];
    readonly environment?: readonly NameValue[];
    readonly cpu?: number;
    readonly memory?: number;
  }[];
}

export type { ContainerEndpointsView, CredentialsStatus } from './endpoints-dto.js';

/** Facts about the running app (header, about box). */
export interface AppInfo {
  readonly version: string;
  readonly mode: 'electron' | 'web';
  /** Data dir in effect for this process. */
  readonly dataDir: string;
  readonly restartRequired: boolean;
}

/**
 * One point of a container's resource history (from Docker's stats stream). A point may stand for
 * several samples merged into one bucket (`n`): rates and CPU are their mean, memory and PIDs their
 * maximum, so a peak (an OOM) survives downsampling.
 */
export interface ResourceSample {
  /** Milliseconds since the epoch (Docker's `read` time; a bucket's first sample). */
  readonly t: number;
  /** CPU used, % of one core (Docker CLI's formula; 200 = two cores busy). */
  readonly cpu: number;
  /** Memory used, bytes (Docker CLI's figure: usage less inactive page cache). */
  readonly mem: number;
  /** Network received / sent, bytes per second (the task namespace's for awsvpc). */
  readonly rx: number;
  readonly tx: number;
  /** Block I/O read / written, bytes per second. */
  readonly rd: number;
  readonly wr: number;
  readonly pids: number;
  /** Samples merged into this point (absent = 1). */
  readonly n?: number;
}

/** A container's resource history and limits. */
export interface ContainerResources {
  readonly container: string;
  readonly dockerId?: string;
  /** Oldest first; 1 s resolution for the last 10 minutes, coarser before. */
  readonly samples: readonly ResourceSample[];
  /** The container's CPU limit in cores (cpu units / 1024, else the task's cpu); absent = none. */
  readonly cpuLimitCores?: number;
  /** The hard memory limit (bytes) at which the kernel OOM-kills; absent = none. */
  readonly memoryLimitBytes?: number;
  /** CPUs Docker reports online (the ceiling when there is no CPU limit). */
  readonly onlineCpus?: number;
  /** Whether the stats stream is open now (the container is running). */
  readonly live: boolean;
}

/** `tasks:stats`: a task's resource history, per container. */
export interface TaskResources {
  readonly taskId: string;
  /** awsvpc: every container reports the one task namespace, so the task's network is not a sum. */
  readonly sharedNetwork: boolean;
  /** Task-level cpu in cores and memory in bytes, when the task sets them. */
  readonly cpuLimitCores?: number;
  readonly memoryLimitBytes?: number;
  readonly containers: readonly ContainerResources[];
}

/** New samples of one container (the `stats:samples` topic carries a batch of these). */
export interface ResourceSamples {
  readonly taskId: string;
  readonly container: string;
  readonly samples: readonly ResourceSample[];
}

// ---- ECS Exec ------------------------------------------------------------------------------

/** A started exec session (`exec:start`). */
export interface ExecSessionInfo {
  /** Unguessable; valid only on the connection that started the session. */
  readonly sessionId: string;
  readonly taskId: string;
  readonly container: string;
  /** The command as run (words). */
  readonly command: readonly string[];
}

/** One `exec:output` message: output bytes, or the end of the session. */
export interface ExecOutput {
  readonly sessionId: string;
  /** Output bytes, base64 (a chunk may end inside a UTF-8 sequence; the terminal reassembles). */
  readonly data?: string;
  /** Set on the last message of a session. */
  readonly exited?: true;
  /** The command's exit code, when Docker knows it. */
  readonly exitCode?: number | null;
  /** Why the session ended when not by the command exiting on its own ("closed", "the connection closed"…). */
  readonly reason?: string;
}

/** Leftovers of Taskdeck processes that are gone, and damaged data found in the data dir. */
export interface RecoveryStatus {
  /** Orphans: objects whose Taskdeck owner process is gone (never a live process's objects). */
  readonly orphans: {
    readonly containers: number;
    readonly networks: number;
    readonly volumes: number;
    readonly tempDataDirs: number;
  };
  /** The orphans in words, e.g. "2 containers, 1 network" ('' when there are none). */
  readonly orphanSummary: string;
  /** Damaged files kept aside (`*.corrupt-<time>`), damaged lines skipped, records rebuilt. */
  readonly dataWarnings: readonly { readonly time: string; readonly message: string }[];
  /** Docker is not connected, so orphans could not be looked for. */
  readonly dockerUnavailable?: boolean;
}

/** What cleaning up orphans did. */
export interface OrphanCleanupResult {
  readonly removed: number;
  readonly errors: readonly string[];
  readonly status: RecoveryStatus;
}
