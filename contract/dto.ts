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
  readonly issues?: readonly { readonly path: string; readonly message: string; readonly line?: number; readonly column?: number }[];
}
