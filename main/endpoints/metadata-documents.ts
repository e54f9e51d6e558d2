/**
 * Pure builders of the task metadata documents (v3/v4) from the engine's TaskDetail and Docker's
 * inspect JSON. Key names and value shapes follow what the ECS agent serves; v3 and v4 get the
 * same (v4) documents, a superset of v3 that v3 clients read unchanged.
 */
import type Docker from '../docker/docker-client.js';
import type { ContainerDetail, TaskDetail } from '../../contract/dto.js';
import { containerKnownStatus } from '../engine/status.js';

type Inspect = Docker.ContainerInspectInfo;

/** What the builders know about one container. */
export interface ContainerRuntime {
  readonly detail: ContainerDetail;
  /** Docker's inspect of the container, once it exists. */
  readonly inspect?: Inspect;
  /** Inspect of the container owning the network namespace (awsvpc: the pause container). */
  readonly networkOwner?: Inspect;
}

export interface MetadataPort {
  readonly ContainerPort: number;
  readonly Protocol: string;
  readonly HostPort?: number;
  readonly HostIp?: string;
}

export interface MetadataNetwork {
  readonly NetworkMode: string;
  readonly IPv4Addresses: readonly string[];
  readonly AttachmentIndex?: number;
  readonly MACAddress?: string;
  readonly IPv4SubnetCIDRBlock?: string;
  readonly PrivateDNSName?: string;
  readonly SubnetGatewayIpv4Address?: string;
}

/** A container document (root of the container's endpoint, and each of /task's Containers). */
export interface ContainerMetadata {
  readonly DockerId?: string;
  readonly Name: string;
  readonly DockerName?: string;
  readonly Image: string;
  readonly ImageID?: string;
  readonly Ports?: readonly MetadataPort[];
  readonly Labels: Readonly<Record<string, string>>;
  readonly DesiredStatus: string;
  readonly KnownStatus: string;
  readonly ExitCode?: number;
  readonly Limits: { readonly CPU: number; readonly Memory?: number };
  readonly CreatedAt?: string;
  readonly StartedAt?: string;
  readonly FinishedAt?: string;
  readonly Type: 'NORMAL';
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
  readonly ContainerARN: string;
  readonly Networks?: readonly MetadataNetwork[];
}

/** The task document (`/task`). */
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
  readonly LaunchType: string;
  readonly Containers: readonly ContainerMetadata[];
  readonly VPCID?: string;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** The agent's internal container status names (metadata KnownStatus), from Taskdeck's phase. */
export const knownStatusOf = containerKnownStatus;

/** `a.b.c.d/len` of the network containing ip. */
export function cidrOf(ip: string, prefixLen: number): string | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  if (!Number.isInteger(prefixLen) || prefixLen < 0 || prefixLen > 32) return undefined;
  const n = parts.reduce((acc, p) => acc * 256 + p, 0);
  const size = 2 ** (32 - prefixLen);
  const base = Math.floor(n / size) * size;
  const octets = [24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256);
  return `${octets.join('.')}/${prefixLen}`;
}

function timeOrUndefined(t: string | undefined): string | undefined {
  return t && !t.startsWith('0001-01-01') && t !== ZERO_TIME ? t : undefined;
}

function numberOrUndefined(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function attachmentDetail(task: TaskDetail, name: string): string | undefined {
  const eni = task.attachments.find((a) => a.type === 'ElasticNetworkInterface');
  return eni?.details.find((d) => d.name === name)?.value;
}

/** The first (primary) network of a namespace owner's inspect. */
function primaryNetwork(
  owner: Inspect | undefined,
): Inspect['NetworkSettings']['Networks'][string] | undefined {
  const nets = owner?.NetworkSettings?.Networks;
  if (!nets) return undefined;
  const first = Object.keys(nets).sort()[0];
  return first === undefined ? undefined : nets[first];
}

function networksOf(task: TaskDetail, rt: ContainerRuntime): MetadataNetwork[] | undefined {
  const mode = task.networkMode;
  if (mode === 'awsvpc') {
    const net = primaryNetwork(rt.networkOwner ?? rt.inspect);
    const ip = attachmentDetail(task, 'privateIPv4Address') ?? net?.IPAddress;
    const mac = attachmentDetail(task, 'macAddress') ?? net?.MacAddress;
    const dns = attachmentDetail(task, 'privateDnsName');
    const cidr = net?.IPAddress ? cidrOf(net.IPAddress, net.IPPrefixLen) : undefined;
    const gateway = net?.Gateway ? `${net.Gateway}/${net.IPPrefixLen}` : undefined;
    return [
      {
        NetworkMode: 'awsvpc',
        IPv4Addresses: ip ? [ip] : [],
        AttachmentIndex: 0,
        ...(mac ? { MACAddress: mac } : {}),
        ...(cidr ? { IPv4SubnetCIDRBlock: cidr } : {}),
        ...(dns ? { PrivateDNSName: dns } : {}),
        ...(gateway ? { SubnetGatewayIpv4Address: gateway } : {}),
      },
    ];
  }
  if (mode === 'host' || mode === 'none') return [{ NetworkMode: mode, IPv4Addresses: [] }];
  const nets = (rt.networkOwner ?? rt.inspect)?.NetworkSettings?.Networks;
  if (!nets) return undefined;
  const ips = Object.keys(nets)
    .sort()
    .map((k) => nets[k]?.IPAddress)
    .filter((ip): ip is string => !!ip);
  return [{ NetworkMode: mode, IPv4Addresses: ips }];
}

function portsOf(rt: ContainerRuntime): MetadataPort[] | undefined {
  if (rt.detail.networkBindings.length > 0) {
    return rt.detail.networkBindings.map((b) => ({
      ContainerPort: b.containerPort,
      Protocol: b.protocol,
      HostPort: b.hostPort,
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

/** The container document, as the agent serves it at the container's endpoint root. */
export function buildContainerDocument(task: TaskDetail, rt: ContainerRuntime): ContainerMetadata {
  const d = rt.detail;
  const i = rt.inspect;
  const state = i?.State;
  const exited = state ? !state.Running && state.Status !== 'created' : false;
  const exitCode = d.exitCode ?? (exited && state ? state.ExitCode : undefined);
  const memoryBytes = i?.HostConfig?.Memory;
  const memory = numberOrUndefined(d.memory) ?? (memoryBytes ? Math.round(memoryBytes / 1048576) : undefined);
  const cpu = numberOrUndefined(d.cpu) ?? i?.HostConfig?.CpuShares ?? 0;
  const lastProbe = state?.Health?.Log?.at(-1);
  const ports = portsOf(rt);
  const networks = networksOf(task, rt);
  const logConfig = i?.HostConfig?.LogConfig;
  const dockerId = d.runtimeId ?? i?.Id;
  return {
    ...(dockerId ? { DockerId: dockerId } : {}),
    Name: d.name,
    ...(i ? { DockerName: i.Name.replace(/^\//, '') } : {}),
    Image: d.image,
    ...(i?.Image ? { ImageID: i.Image } : {}),
    ...(ports ? { Ports: ports } : {}),
    Labels: i?.Config?.Labels ?? {},
    DesiredStatus: task.desiredStatus,
    KnownStatus: knownStatusOf(d.phase),
    ...(exitCode !== undefined ? { ExitCode: exitCode } : {}),
    Limits: { CPU: cpu, ...(memory ? { Memory: memory } : {}) },
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
    ...(i
      ? {
          Volumes: (i.Mounts ?? []).map((m) => ({
            ...(m.Type === 'volume' && m.Name ? { DockerName: m.Name } : {}),
            Source: m.Source,
            Destination: m.Destination,
          })),
        }
      : {}),
    ...(logConfig?.Type ? { LogDriver: logConfig.Type, LogOptions: logConfig.Config ?? {} } : {}),
    ContainerARN: d.containerArn,
    ...(networks ? { Networks: networks } : {}),
  };
}

/** The region part of an ECS ARN. */
function regionOf(arn: string): string {
  return arn.split(':')[3] || 'us-east-1';
}

/** The task document (`/task`): the task plus every container's document. */
export function buildTaskDocument(task: TaskDetail, containers: readonly ContainerRuntime[]): TaskMetadata {
  const cpuUnits = numberOrUndefined(task.cpu);
  const memory = numberOrUndefined(task.memory);
  const limits =
    cpuUnits !== undefined || memory !== undefined
      ? {
          ...(cpuUnits !== undefined ? { CPU: cpuUnits / 1024 } : {}),
          ...(memory !== undefined ? { Memory: memory } : {}),
        }
      : undefined;
  const owner = containers.find((c) => c.networkOwner)?.networkOwner;
  const networkId = primaryNetwork(owner)?.NetworkID;
  return {
    Cluster: task.clusterArn,
    TaskARN: task.taskArn,
    Family: task.family,
    Revision: String(task.revision),
    DesiredStatus: task.desiredStatus,
    KnownStatus: task.lastStatus,
    ...(limits ? { Limits: limits } : {}),
    ...(task.pullStartedAt ? { PullStartedAt: task.pullStartedAt } : {}),
    ...(task.pullStoppedAt ? { PullStoppedAt: task.pullStoppedAt } : {}),
    ...(task.executionStoppedAt ? { ExecutionStoppedAt: task.executionStoppedAt } : {}),
    AvailabilityZone: `${regionOf(task.taskArn)}a`,
    LaunchType: task.launchType,
    Containers: containers.map((c) => buildContainerDocument(task, c)),
    ...(task.networkMode === 'awsvpc'
      ? { VPCID: `vpc-${(networkId ?? '0').slice(0, 17).padEnd(17, '0')}` }
      : {}),
  };
}
