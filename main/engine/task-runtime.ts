/**
 * The engine's per-task state (persisted as the task record) and its projection to the API shape.
 * Mutated only by the task's runner.
 */
import type {
  Attachment,
  ContainerDetail,
  ContainerPhase,
  DependencyWait,
  DesiredStatus,
  HealthProbe,
  HealthStatus,
  NetworkBinding,
  PhaseChange,
  PullBehavior,
  StopCode,
  TaskDetail,
  TaskLastStatus,
} from '../../contract/dto.js';
import type { ContainerDefinition, TaskDefinition } from '../task-definition/model.js';
import type { EnvironmentFileScope, TaskOverrides } from './engine-api.js';
import { containerLastStatus, deriveTaskHealth } from './status.js';

/** Docker work on one container (see `ContainerRuntime.op`). */
export type ContainerOp = 'pull' | 'create' | 'start' | 'stop' | 'kill';

export interface ContainerRuntime {
  readonly name: string;
  /** Definition with overrides applied. */
  readonly def: ContainerDefinition;
  readonly containerArn: string;
  readonly dockerName: string;
  phase: ContainerPhase;
  phases: PhaseChange[];
  dockerId?: string;
  exitCode?: number;
  reason?: string;
  oomKilled?: boolean;
  health: HealthStatus;
  healthSince?: string;
  createdAt?: string;
  startedAt?: string;
  finishedAt?: string;
  imageDigest?: string;
  imageId?: string;
  waits: DependencyWait[];
  probes: HealthProbe[];
  networkBindings: NetworkBinding[];
  /**
   * The container's Docker work in flight, its one record (not meaningful after a restart): a pull,
   * create or start until its answer arrives; a stop or SIGKILL (forced stop) from when it is sent
   * until the container's exit is known or the call failed (then it is sent again).
   */
  op?: ContainerOp;
  /** Set when the container can never start (pull/create/start/dependency failure). */
  failedReason?: string;
  lastLogTime?: string;
  logStreamName?: string;
}

export interface TaskRuntime {
  readonly taskId: string;
  readonly taskArn: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly definition: TaskDefinition;
  readonly overrides?: TaskOverrides;
  readonly pullBehavior: PullBehavior;
  readonly keep: boolean;
  readonly group: string;
  /** RunTask `startedBy` (absent when none was given). */
  readonly startedBy?: string;
  readonly launchType: string;
  readonly definitionId?: string;
  readonly secretsFile?: string;
  /** The user chose to pass their own AWS credentials instead of assuming the task role. */
  readonly passOwnCredentials?: boolean;
  /** Host address the task's published ports bind to (absent in older records: 127.0.0.1). */
  readonly publishAddress?: string;
  /** Where the task's local environmentFiles may be read from. */
  readonly environmentFileScope?: EnvironmentFileScope;
  /** RunTask `enableExecuteCommand` (absent in records written before it existed → false). */
  readonly enableExecuteCommand?: boolean;
  /** RunTask `tags` of the launch (the definition's own are in `definition.tags`). */
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
  /** Task-level cpu/memory after overrides (API strings). */
  readonly cpu?: string;
  readonly memory?: string;
  lastStatus: TaskLastStatus;
  desiredStatus: DesiredStatus;
  createdAt: string;
  pullStartedAt?: string;
  pullStoppedAt?: string;
  startedAt?: string;
  stoppingAt?: string;
  executionStoppedAt?: string;
  stoppedAt?: string;
  stopCode?: StopCode;
  stoppedReason?: string;
  stopRequestedAt?: string;
  /** The essential container whose exit stopped the task. */
  stoppedBy?: string;
  version: number;
  attachments: Attachment[];
  networkName?: string;
  pauseContainerId?: string;
  volumeSources: Record<string, string>;
  provisioned: boolean;
  containers: ContainerRuntime[];
  logSeq: number;
  /** The task stopped but Docker still had some of its resources: cleanup is retried. */
  cleanupPending?: boolean;
  /** A second stop request: everything still running is killed, in no order. */
  stopForced?: boolean;
  /**
   * Endpoint ids, only in records of tasks launched before ids were derived from the data dir's
   * key (kept so those tasks' containers keep working); new tasks never persist an id.
   */
  endpointState?: unknown;
  /** Set when the task got the user's own credentials instead of its task role. */
  credentialsWarning?: string;
  /** Owner labels of the engine now running the task (owner.ts); new objects carry them. */
  ownerLabels?: Readonly<Record<string, string>>;
  /** The record was lost or damaged and rebuilt from the containers' labels (record-from-labels.ts). */
  recoveredFromLabels?: boolean;
}

function containerDetail(task: TaskRuntime, c: ContainerRuntime): ContainerDetail {
  const eniIp = task.attachments[0]?.details.find((d) => d.name === 'privateIPv4Address')?.value;
  return {
    containerArn: c.containerArn,
    taskArn: task.taskArn,
    name: c.name,
    image: c.def.image,
    ...(c.imageDigest ? { imageDigest: c.imageDigest } : {}),
    ...(c.dockerId ? { runtimeId: c.dockerId } : {}),
    lastStatus: containerLastStatus(c.phase),
    ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
    ...(c.reason ? { reason: c.reason } : {}),
    healthStatus: c.health,
    networkBindings: c.networkBindings,
    networkInterfaces:
      task.definition.networkMode === 'awsvpc' && task.attachments[0]
        ? [{ attachmentId: task.attachments[0].id, ...(eniIp ? { privateIpv4Address: eniIp } : {}) }]
        : [],
    cpu: String(c.def.cpu),
    ...(c.def.memory !== undefined ? { memory: String(c.def.memory) } : {}),
    ...(c.def.memoryReservation !== undefined ? { memoryReservation: String(c.def.memoryReservation) } : {}),
    essential: c.def.essential,
    phase: c.phase,
    phases: c.phases,
    dependencies: c.waits,
    ...(c.createdAt ? { createdAt: c.createdAt } : {}),
    ...(c.startedAt ? { startedAt: c.startedAt } : {}),
    ...(c.finishedAt ? { finishedAt: c.finishedAt } : {}),
    ...(c.healthSince ? { healthSince: c.healthSince } : {}),
    ...(c.logStreamName ? { logStreamName: c.logStreamName } : {}),
  };
}

/** The API projection (ECS DescribeTasks shape + Taskdeck extras). */
/** A task's lifecycle timestamps and stop fields. */
export type TaskTimes = Pick<
  TaskDetail,
  | 'pullStartedAt'
  | 'pullStoppedAt'
  | 'startedAt'
  | 'stoppingAt'
  | 'executionStoppedAt'
  | 'stoppedAt'
  | 'stopCode'
  | 'stoppedReason'
>;

/** The timestamps and stop fields that are set (ECS omits unset ones); for TaskDetail and events. */
export function taskTimes(t: TaskTimes): TaskTimes {
  return {
    ...(t.pullStartedAt ? { pullStartedAt: t.pullStartedAt } : {}),
    ...(t.pullStoppedAt ? { pullStoppedAt: t.pullStoppedAt } : {}),
    ...(t.startedAt ? { startedAt: t.startedAt } : {}),
    ...(t.stoppingAt ? { stoppingAt: t.stoppingAt } : {}),
    ...(t.executionStoppedAt ? { executionStoppedAt: t.executionStoppedAt } : {}),
    ...(t.stoppedAt ? { stoppedAt: t.stoppedAt } : {}),
    ...(t.stopCode ? { stopCode: t.stopCode } : {}),
    ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
  };
}

export function toTaskDetail(task: TaskRuntime): TaskDetail {
  const containers = task.containers.map((c) => containerDetail(task, c));
  return {
    taskArn: task.taskArn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    healthStatus: deriveTaskHealth(
      containers.map((c) => ({ essential: c.essential, healthStatus: c.healthStatus })),
    ),
    launchType: task.launchType,
    group: task.group,
    ...(task.startedBy ? { startedBy: task.startedBy } : {}),
    ...(task.cpu !== undefined ? { cpu: task.cpu } : {}),
    ...(task.memory !== undefined ? { memory: task.memory } : {}),
    attachments: task.attachments,
    containers,
    createdAt: task.createdAt,
    ...taskTimes(task),
    version: task.version,
    taskId: task.taskId,
    family: task.definition.family,
    revision: task.definition.revision,
    networkMode: task.definition.networkMode,
    ...(task.definitionId ? { definitionId: task.definitionId } : {}),
    ...(task.stopRequestedAt ? { stopRequestedAt: task.stopRequestedAt } : {}),
    ...(task.stoppedBy ? { stoppedBy: task.stoppedBy } : {}),
    ...(task.credentialsWarning ? { credentialsWarning: task.credentialsWarning } : {}),
    enableExecuteCommand: task.enableExecuteCommand === true,
  };
}
