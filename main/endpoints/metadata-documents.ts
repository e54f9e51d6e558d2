/**
 * Pure builders of the task metadata documents (v3/v4) from the engine's TaskDetail, what the
 * definition says (extras) and Docker's inspect JSON. Key names, order and value shapes follow
 * the agent: amazon-ecs-agent ecs-agent/tmds/handlers/v2/response.go and
 * ecs-agent/tmds/handlers/v4/state/response.go (types), agent/handlers/v2/response.go and
 * agent/handlers/v4/response.go (how they are filled). v3 and v4 get the same (v4) documents, a
 * superset of v3 that v3 clients read unchanged.
 *
 * One launch type per task decides the platform's shape: FARGATE → Cluster is the cluster ARN,
 * DockerName is the container name, ClockDrift and EphemeralStorageMetrics are present; EC2 →
 * Cluster is the short name, DockerName is Docker's, and an awsvpc task lists its pause container.
 */
import type Docker from '../docker/docker-client.js';
import type { ContainerDetail, TaskDetail } from '../../contract/dto.js';
import { TASK_STATUS_ORDER, containerKnownStatus } from '../engine/status.js';
import { clusterLabelValue } from '../engine/launch-type.js';
import { networksOf, primaryNetwork, regionOf, type MetadataNetwork } from './metadata-networks.js';

export { cidrOf, type MetadataNetwork } from './metadata-networks.js';

type Inspect = Docker.ContainerInspectInfo;

/** What the definition says about a container that the task record does not carry. */
export interface ContainerExtras {
  /** Container-level cpu units / hard memory MiB (after overrides). */
  readonly cpu?: number;
  readonly memory?: number;
  readonly logDriver?: string;
  readonly logOptions?: Readonly<Record<string, string>>;
}

/** Definition-side facts of a task (built by metadata-extras.ts). */
export interface MetadataExtras {
  readonly containers: Readonly<Record<string, ContainerExtras>>;
  /** RunTask tags over the definition's tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** Docker id of the awsvpc pause container, when there is one. */
  readonly pauseContainerId?: string;
}

/** What the builders know about one container. */
export interface ContainerRuntime {
  readonly detail: ContainerDetail;
  /** Docker's inspect of the container, once it exists. */
  readonly inspect?: Inspect;
  /** Inspect of the container owning the network namespace (awsvpc: the pause container). */
  readonly networkOwner?: Inspect;
  readonly extras?: ContainerExtras;
}

export interface MetadataPort {
  readonly ContainerPort: number;
  readonly Protocol: string;
  readonly HostPort?: number;
  readonly HostIp?: string;
}

/** A container document (root of the container's endpoint, and each of /task's Containers). */
export interface ContainerMetadata {
  readonly DockerId: string;
  readonly Name: string;
  readonly DockerName: string;
  readonly Image: string;
  readonly ImageID: string;
  readonly Ports?: readonly MetadataPort[];
  readonly Labels?: Readonly<Record<string, string>>;
  readonly DesiredStatus: string;
  readonly KnownStatus: string;
  readonly ExitCode?: number;
  readonly Limits: { readonly CPU: number; readonly Memory: number };
  readonly CreatedAt?: string;
  readonly StartedAt?: string;
  readonly FinishedAt?: string;
  readonly Type: 'NORMAL' | 'CNI_PAUSE';
  readonly Health?: {
    readonly status: string;
    readonly statusSince?: string;
    readonly exitCode?: number;
    readonly output?: string;
  };
  readonly Volumes?: readonly {
    readonly DockerName?: string;
    readonly Source: string;
    readonly Destination: string;
  }[];
  readonly LogDriver?: string;
  readonly LogOptions?: Readonly<Record<string, string>>;
  readonly ContainerARN?: string;
  readonly Networks?: readonly MetadataNetwork[];
}

/** The task document (`/task`, `/taskWithTags`). */
export interface TaskMetadata {
  readonly Cluster: string;
  readonly TaskARN: string;
  readonly Family: string;
  readonly Revision: string;
  readonly DesiredStatus: string;
  readonly KnownStatus: string;
  readonly Limits?: { readonly CPU?: number; readonly Memory?: number };
  readonly PullStartedAt?: string;
  readonly PullStoppedAt?: string;
  readonly ExecutionStoppedAt?: string;
  readonly AvailabilityZone: string;
  readonly TaskTags?: Readonly<Record<string, string>>;
  readonly LaunchType: string;
  readonly Containers: readonly ContainerMetadata[];
  readonly VPCID?: string;
  readonly ClockDrift?: {
    readonly ClockErrorBound: number;
    readonly ReferenceTimestamp: string;
    readonly ClockSynchronizationStatus: 'SYNCHRONIZED' | 'NOT_SYNCHRONIZED';
  };
  readonly EphemeralStorageMetrics?: { readonly Utilized: number; readonly Reserved: number };
  readonly FaultInjectionEnabled: boolean;
}

/** The agent's name for the awsvpc pause container (agent/api/task/task.go NetworkPauseContainerName). */
export const PAUSE_NAME = '~internal~ecs~pause';

/** Agent versions ≥ 1.2.0 pass a cpu of null, 0 or 1 to Docker as 2 shares, and report 2 (agent/handlers/v2/response.go). */
const MINIMUM_CPU_UNITS = 2;

/** Fargate's default ephemeral storage (20 GiB) as the metadata reports it, in MiB. */
const FARGATE_EPHEMERAL_RESERVED_MIB = 20496;

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** The agent's internal container status names (metadata KnownStatus), from Taskdeck's phase. */
export const knownStatusOf = containerKnownStatus;

const KNOWN_ORDER = ['NONE', 'MANIFEST_PULLED', 'PULLED', 'CREATED', 'RUNNING', 'STOPPED'];

/**
 * The task's KnownStatus from the agent's task status set: RUNNING from the moment the task ran
 * until every container has stopped, STOPPED after; before that the least advanced container's
 * status (a container that already exited counts as having run).
 */
export function taskKnownStatus(task: TaskDetail): string {
  if (task.lastStatus === 'STOPPED') return 'STOPPED';
  const running = TASK_STATUS_ORDER.indexOf('RUNNING');
  const containers = task.containers.map((c) => knownStatusOf(c.phase));
  if (containers.length > 0 && containers.every((s) => s === 'STOPPED')) return 'STOPPED';
  if (TASK_STATUS_ORDER.indexOf(task.lastStatus) >= running) return 'RUNNING';
  const ranks = containers.map((s) => Math.min(KNOWN_ORDER.indexOf(s), KNOWN_ORDER.indexOf('RUNNING')));
  return KNOWN_ORDER[Math.min(...ranks, KNOWN_ORDER.indexOf('RUNNING'))] ?? 'NONE';
}

function timeOrUndefined(t: string | undefined): string | undefined {
  return t && !t.startsWith('0001-01-01') && t !== ZERO_TIME ? t : undefined;
}

function numberOrUndefined(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function portsOf(task: TaskDetail, rt: ContainerRuntime): MetadataPort[] | undefined {
  if (rt.detail.networkBindings.length > 0) {
    return rt.detail.networkBindings.map((b) => ({
      ContainerPort: b.containerPort,
      Protocol: b.protocol,
      // awsvpc: the ENI's own port (agent/handlers/v2/response.go: HostPort = ContainerPort).
      HostPort: task.networkMode === 'awsvpc' ? b.containerPort : b.hostPort,
      ...(b.bindIP ? { HostIp: b.bindIP } : {}),
    }));
  }
  const ports = rt.inspect?.NetworkSettings?.Ports;
  if (!ports) return undefined;
  const out: MetadataPort[] = [];
  for (const key of Object.keys(ports).sort()) {
    const [port, proto = 'tcp'] = key.split('/');
    for (const b of ports[key] ?? []) {
      out.push({
        ContainerPort: Number(port),
        Protocol: proto,
        HostPort: Number(b.HostPort),
        HostIp: b.HostIp,
      });
    }
  }
  return out.length > 0 ? out : undefined;
}

function volumesOf(i: Inspect | undefined): ContainerMetadata['Volumes'] {
  if (!i || !i.Mounts || i.Mounts.length === 0) return undefined;
  return i.Mounts.map((m) => ({
    ...(m.Type === 'volume' && m.Name ? { DockerName: m.Name } : {}),
    Source: m.Source,
    Destination: m.Destination,
  }));
}

/** The container document, as the agent serves it at the container's endpoint root. */
export function buildContainerDocument(task: TaskDetail, rt: ContainerRuntime): ContainerMetadata {
  const d = rt.detail;
  const i = rt.inspect;
  const state = i?.State;
  const exited = state ? !state.Running && state.Status !== 'created' : false;
  const exitCode = d.exitCode ?? (exited && state ? state.ExitCode : undefined);
  const cpu = rt.extras?.cpu ?? numberOrUndefined(d.cpu) ?? 0;
  const memory = rt.extras?.memory ?? numberOrUndefined(d.memory) ?? 0;
  const lastProbe = state?.Health?.Log?.at(-1);
  const ports = portsOf(task, rt);
  const networks = networksOf(task, i, rt.networkOwner);
  const volumes = volumesOf(i);
  const labels = i?.Config?.Labels ?? {};
  const dockerId = d.runtimeId ?? i?.Id;
  const dockerName = task.launchType === 'FARGATE' ? d.name : i?.Name.replace(/^\//, '');
  // DockerId, DockerName and ImageID have no omitempty in the agent's type: "" until known.
  return {
    DockerId: dockerId ?? '',
    Name: d.name,
    DockerName: dockerName ?? '',
    Image: d.image,
    ImageID: i?.Image ?? '',
    ...(ports ? { Ports: ports } : {}),
    ...(Object.keys(labels).length > 0 ? { Labels: labels } : {}),
    DesiredStatus: task.desiredStatus,
    KnownStatus: knownStatusOf(d.phase),
    ...(exitCode !== undefined ? { ExitCode: exitCode } : {}),
    Limits: { CPU: Math.max(cpu, MINIMUM_CPU_UNITS), Memory: memory },
    ...(i?.Created || d.createdAt ? { CreatedAt: i?.Created ?? d.createdAt } : {}),
    ...(timeOrUndefined(state?.StartedAt) || d.startedAt
      ? { StartedAt: timeOrUndefined(state?.StartedAt) ?? d.startedAt }
      : {}),
    ...(exited && (timeOrUndefined(state?.FinishedAt) || d.finishedAt)
      ? { FinishedAt: timeOrUndefined(state?.FinishedAt) ?? d.finishedAt }
      : {}),
    Type: 'NORMAL',
    ...(d.healthStatus !== 'UNKNOWN'
      ? {
          Health: {
            status: d.healthStatus,
            ...(d.healthSince ? { statusSince: d.healthSince } : {}),
            ...(lastProbe ? { exitCode: lastProbe.ExitCode, output: lastProbe.Output } : {}),
          },
        }
      : {}),
    ...(volumes ? { Volumes: volumes } : {}),
    ...(rt.extras?.logDriver
      ? { LogDriver: rt.extras.logDriver, LogOptions: rt.extras.logOptions ?? {} }
      : {}),
    ContainerARN: d.containerArn,
    ...(networks ? { Networks: networks } : {}),
  };
}

/**
 * The awsvpc pause container as an EC2 task's /task lists it: internal (no ARN), Type CNI_PAUSE,
 * RESOURCES_PROVISIONED while its namespace serves the task (agent/api/task/task.go).
 */
export function buildPauseDocument(task: TaskDetail, pause: Inspect): ContainerMetadata {
  const running = pause.State?.Running === true;
  const status = task.lastStatus === 'STOPPED' || !running ? 'STOPPED' : 'RESOURCES_PROVISIONED';
  const labels = pause.Config?.Labels ?? {};
  return {
    DockerId: pause.Id,
    Name: PAUSE_NAME,
    DockerName: pause.Name.replace(/^\//, ''),
    Image: pause.Config?.Image ?? '',
    ImageID: pause.Image,
    ...(Object.keys(labels).length > 0 ? { Labels: labels } : {}),
    DesiredStatus: task.desiredStatus === 'STOPPED' ? 'STOPPED' : 'RESOURCES_PROVISIONED',
    KnownStatus: status,
    Limits: { CPU: MINIMUM_CPU_UNITS, Memory: 0 },
    ...(pause.Created ? { CreatedAt: pause.Created } : {}),
    ...(timeOrUndefined(pause.State?.StartedAt) ? { StartedAt: pause.State.StartedAt } : {}),
    Type: 'CNI_PAUSE',
    ...(networksOf(task, pause, undefined) ? { Networks: networksOf(task, pause, undefined)! } : {}),
  };
}

/** What the task document is built from, besides the containers. */
export interface TaskDocumentOptions {
  /** Include TaskTags (`/taskWithTags`). */
  readonly withTags?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
  /** The awsvpc pause container (listed for EC2 tasks). */
  readonly pause?: Inspect;
  /** Clock for ClockDrift's reference time (tests). */
  readonly now?: () => Date;
}

/** The task document (`/task`): the task plus every container's document. */
export function buildTaskDocument(
  task: TaskDetail,
  containers: readonly ContainerRuntime[],
  options: TaskDocumentOptions = {},
): TaskMetadata {
  const cpuUnits = numberOrUndefined(task.cpu);
  const memory = numberOrUndefined(task.memory);
  const limits =
    cpuUnits !== undefined || memory !== undefined
      ? {
          ...(cpuUnits !== undefined ? { CPU: cpuUnits / 1024 } : {}),
          ...(memory !== undefined ? { Memory: memory } : {}),
        }
      : undefined;
  const fargate = task.launchType === 'FARGATE';
  const owner = options.pause ?? containers.find((c) => c.networkOwner)?.networkOwner;
  const networkId = primaryNetwork(owner)?.NetworkID;
  const docs = containers.map((c) => buildContainerDocument(task, c));
  const withPause =
    !fargate && task.networkMode === 'awsvpc' && options.pause
      ? [...docs, buildPauseDocument(task, options.pause)]
      : docs;
  const tags =
    options.withTags && options.tags && Object.keys(options.tags).length > 0 ? options.tags : undefined;
  return {
    Cluster: clusterLabelValue(task.launchType, task.clusterArn),
    TaskARN: task.taskArn,
    Family: task.family,
    Revision: String(task.revision),
    DesiredStatus: task.desiredStatus,
    KnownStatus: taskKnownStatus(task),
    ...(limits ? { Limits: limits } : {}),
    ...(task.pullStartedAt ? { PullStartedAt: task.pullStartedAt } : {}),
    ...(task.pullStoppedAt ? { PullStoppedAt: task.pullStoppedAt } : {}),
    ...(task.executionStoppedAt ? { ExecutionStoppedAt: task.executionStoppedAt } : {}),
    AvailabilityZone: `${regionOf(task.taskArn)}a`,
    ...(tags ? { TaskTags: tags } : {}),
    LaunchType: task.launchType,
    Containers: withPause,
    ...(task.networkMode === 'awsvpc'
      ? { VPCID: `vpc-${(networkId ?? '0').slice(0, 17).padEnd(17, '0')}` }
      : {}),
    ...(fargate
      ? {
          // The containers share this machine's clock: no drift to speak of, and it is the reference.
          ClockDrift: {
            ClockErrorBound: 0.5,
            ReferenceTimestamp: (options.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
            ClockSynchronizationStatus: 'SYNCHRONIZED',
          },
          EphemeralStorageMetrics: { Utilized: 0, Reserved: FARGATE_EPHEMERAL_RESERVED_MIB },
        }
      : {}),
    FaultInjectionEnabled: false,
  };
}
