/**
 * Pure mapping from a (possibly overridden) ECS container definition to Docker's create options
 * (semantics §6). No I/O: every id or name it needs is passed in.
 */
import type Docker from '../docker/docker-client.js';
import type {
  ContainerDefinition,
  HealthCheck,
  NetworkMode,
  TaskDefinition,
} from '../task-definition/model.js';
import { applyRegion } from './agent-environment.js';
import { envEntryProblem, shownName } from '../task-definition/env-safety.js';
import { parseTaskSize, TASK_SIZE_FORMS } from '../task-definition/task-size.js';
import type { ContainerOverride, TaskOverrides } from './engine-api.js';

const MIB = 1024 * 1024;
const NS_PER_S = 1_000_000_000;
/** The agent's floor for CPU shares (Linux). */
const MIN_CPU_SHARES = 2;
/** CFS period for the task-level cpu quota (Docker's default, 100 ms). */
const CPU_PERIOD_US = 100_000;
/** Docker refuses a CFS quota under 1 ms. */
const MIN_CPU_QUOTA_US = 1_000;
export const DEFAULT_STOP_TIMEOUT_S = 30;
/**
 * Host address published ports bind to unless the user chose to expose them: a developer's
 * service stays on this machine instead of being reachable from the LAN.
 */
export const DEFAULT_PUBLISH_ADDRESS = '127.0.0.1';
/** Host address that publishes ports on every interface (settings `exposePorts`, CLI `--expose-ports`). */
export const EXPOSED_PUBLISH_ADDRESS = '0.0.0.0';

/** Applies RunTask containerOverrides to one container definition. */
export function applyContainerOverride(
  def: ContainerDefinition,
  override: ContainerOverride | undefined,
): ContainerDefinition {
  if (!override) return def;
  let environment = def.environment;
  if (override.environment) {
    const byName = new Map(def.environment.map((e) => [e.name, e.value] as const));
    for (const e of override.environment) byName.set(e.name, e.value);
    environment = [...byName].map(([name, value]) => ({ name, value }));
  }
  return {
    ...def,
    ...(override.command ? { command: override.command } : {}),
    ...(override.cpu !== undefined ? { cpu: override.cpu } : {}),
    ...(override.memory !== undefined ? { memory: override.memory } : {}),
    ...(override.memoryReservation !== undefined ? { memoryReservation: override.memoryReservation } : {}),
    environment,
  };
}

/** Checks overrides name real containers; returns an error message or undefined. */
export function checkOverrides(
  taskDefinition: TaskDefinition,
  overrides: TaskOverrides | undefined,
): string | undefined {
  for (const key of ['cpu', 'memory'] as const) {
    const value = overrides?.[key];
    if (value !== undefined && !parseTaskSize(key, value).ok)
      return `overrides.${key}: must be ${TASK_SIZE_FORMS[key]}, got ${JSON.stringify(value)}`;
  }
  for (const [i, o] of (overrides?.containerOverrides ?? []).entries()) {
    if (!taskDefinition.containerDefinitions.some((c) => c.name === o.name)) {
      return `overrides.containerOverrides[${i}].name: container '${o.name}' is not in task definition ${taskDefinition.family}`;
    }
    for (const [j, e] of (o.environment ?? []).entries()) {
      const problem = envEntryProblem(e.name, e.value);
      if (problem)
        return `overrides.containerOverrides[${i}].environment[${j}]: environment variable ${shownName(e.name)} ${problem}, which Docker refuses`;
    }
  }
  return undefined;
}

/** Docker's Healthcheck from the task definition only; `undefined` check disables any image HEALTHCHECK. */
export function toDockerHealthcheck(
  check: HealthCheck | undefined,
): Docker.ContainerCreateOptions['Healthcheck'] {
  if (!check) return { Test: ['NONE'] };
  return {
    Test: [...check.command],
    Interval: check.interval * NS_PER_S,
    Timeout: check.timeout * NS_PER_S,
    Retries: check.retries,
    StartPeriod: check.startPeriod * NS_PER_S,
  };
}

/** Everything the mapping needs that is not in the definition. */
export interface ContainerConfigContext {
  readonly dockerName: string;
  readonly labels: Record<string, string>;
  readonly networkMode: NetworkMode;
  /** awsvpc: the pause container whose namespace every container joins. */
  readonly networkContainerId?: string;
  /** Docker volume / host path per task volume name. */
  readonly volumeSources: ReadonlyMap<string, string>;
  /** Docker ids of volumesFrom sources by container name. */
  readonly containerIds: ReadonlyMap<string, string>;
  /** Resolved secrets and environment files, merged into Env. Never logged. */
  readonly extraEnv: Readonly<Record<string, string>>;
  /** Env injected by the endpoints (metadata URIs, credentials). */
  readonly endpointEnv: Readonly<Record<string, string>>;
  /** The task's region: AWS_REGION / AWS_DEFAULT_REGION unless the container sets either (agent-environment.ts). */
  readonly regionEnv?: string;
  /** Env keys the image itself sets (the agent leaves the region alone when the image sets it). */
  readonly imageEnvKeys?: ReadonlySet<string>;
  readonly extraHosts: readonly string[];
  /** bridge: HostConfig.Links `<docker name>:<alias>` (see links.ts). */
  readonly links?: readonly string[];
  /** Host address published ports bind to; default DEFAULT_PUBLISH_ADDRESS. */
  readonly publishAddress?: string;
  /** Task-level memory (MiB), the ceiling for containers with no own limit. */
  readonly taskMemory?: number;
  /**
   * Task-level cpu (units, 1024 = one vCPU). Without a task cgroup, each container gets it as a
   * CFS quota: no container can use more than the task's cpu (the agent caps the task cgroup).
   */
  readonly taskCpu?: number;
}

function envList(def: ContainerDefinition, ctx: ContainerConfigContext): string[] {
  // Order of precedence (later wins): environment files < environment < secrets < endpoint variables.
  const env = new Map<string, string>();
  for (const [k, v] of Object.entries(ctx.extraEnv)) env.set(k, v);
  for (const e of def.environment) env.set(e.name, e.value);
  for (const s of def.secrets) {
    const v = ctx.extraEnv[`secret:${s.name}`];
    if (v !== undefined) env.set(s.name, v);
  }
  for (const k of [...env.keys()]) if (k.startsWith('secret:')) env.delete(k);
  const imageSetsRegion = ctx.imageEnvKeys?.has('AWS_REGION') || ctx.imageEnvKeys?.has('AWS_DEFAULT_REGION');
  if (!imageSetsRegion) applyRegion(env, ctx.regionEnv);
  for (const [k, v] of Object.entries(ctx.endpointEnv)) env.set(k, v);
  return [...env].map(([k, v]) => `${k}=${v}`);
}

/** The container's hard memory limit (MiB): its own, else the task's when it reserves none. */
export function hardMemoryMiB(def: ContainerDefinition, taskMemory: number | undefined): number | undefined {
  return def.memory ?? (def.memoryReservation === undefined ? taskMemory : undefined);
}

/** The create options for one application container. */
export function toContainerCreateOptions(
  def: ContainerDefinition,
  ctx: ContainerConfigContext,
): Docker.ContainerCreateOptions {
  const awsvpc = ctx.networkMode === 'awsvpc';
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  const hostIp = ctx.publishAddress ?? DEFAULT_PUBLISH_ADDRESS;
  if (!awsvpc) {
    for (const p of def.portMappings) {
      const key = `${p.containerPort}/${p.protocol}`;
      exposed[key] = {};
      if (ctx.networkMode === 'bridge') {
        // No hostPort: Docker picks a free one on the same address (ECS bridge dynamic ports).
        (bindings[key] ??= []).push({ HostIp: hostIp, HostPort: p.hostPort ? String(p.hostPort) : '' });
      }
    }
  }
  const binds: string[] = [];
  for (const m of def.mountPoints) {
    const source = ctx.volumeSources.get(m.sourceVolume);
    if (source === undefined) throw new Error(`mountPoints: volume '${m.sourceVolume}' has no source`);
    binds.push(`${source}:${m.containerPath}${m.readOnly ? ':ro' : ''}`);
  }
  const volumesFrom = def.volumesFrom.map((v) => {
    const id = ctx.containerIds.get(v.sourceContainer);
    if (!id) throw new Error(`volumesFrom: container '${v.sourceContainer}' has not been created`);
    return `${id}${v.readOnly ? ':ro' : ''}`;
  });
  const lp = def.linuxParameters;
  const tmpfs: Record<string, string> = {};
  for (const t of lp?.tmpfs ?? [])
    tmpfs[t.containerPath] = [`size=${t.size}m`, ...(t.mountOptions ?? [])].join(',');
  const memory = hardMemoryMiB(def, ctx.taskMemory);
  const stopTimeout = def.stopTimeout ?? DEFAULT_STOP_TIMEOUT_S;

  const hostConfig: Docker.HostConfig = {
    NetworkMode: awsvpc ? `container:${ctx.networkContainerId ?? ''}` : ctx.networkMode,
    ...(Object.keys(bindings).length ? { PortBindings: bindings } : {}),
    ...(binds.length ? { Binds: binds } : {}),
    ...(volumesFrom.length ? { VolumesFrom: volumesFrom } : {}),
    ...(memory !== undefined ? { Memory: memory * MIB } : {}),
    ...(def.memoryReservation !== undefined ? { MemoryReservation: def.memoryReservation * MIB } : {}),
    CpuShares: Math.max(def.cpu, MIN_CPU_SHARES),
    ...(ctx.taskCpu !== undefined
      ? {
          CpuPeriod: CPU_PERIOD_US,
          CpuQuota: Math.max(MIN_CPU_QUOTA_US, Math.round((ctx.taskCpu / 1024) * CPU_PERIOD_US)),
        }
      : {}),
    ...(def.ulimits.length
      ? { Ulimits: def.ulimits.map((u) => ({ Name: u.name, Soft: u.softLimit, Hard: u.hardLimit })) }
      : {}),
    ...(lp?.capabilities?.add.length ? { CapAdd: [...lp.capabilities.add] } : {}),
    ...(lp?.capabilities?.drop.length ? { CapDrop: [...lp.capabilities.drop] } : {}),
    ...(lp?.devices?.length
      ? {
          Devices: lp.devices.map((d) => ({
            PathOnHost: d.hostPath,
            PathInContainer: d.containerPath ?? d.hostPath,
            CgroupPermissions: (d.permissions ?? ['read', 'write', 'mknod']).map((p) => p[0]).join(''),
          })),
        }
      : {}),
    ...(lp?.initProcessEnabled ? { Init: true } : {}),
    ...(lp?.sharedMemorySize !== undefined ? { ShmSize: lp.sharedMemorySize * MIB } : {}),
    ...(Object.keys(tmpfs).length ? { Tmpfs: tmpfs } : {}),
    ReadonlyRootfs: def.readonlyRootFilesystem,
    Privileged: def.privileged,
    ...(!awsvpc && (def.extraHosts.length || ctx.extraHosts.length)
      ? { ExtraHosts: [...def.extraHosts.map((h) => `${h.hostname}:${h.ipAddress}`), ...ctx.extraHosts] }
      : {}),
    ...(!awsvpc && def.dnsServers.length ? { Dns: [...def.dnsServers] } : {}),
    ...(!awsvpc && def.dnsSearchDomains?.length ? { DnsSearch: [...def.dnsSearchDomains] } : {}),
    ...(ctx.networkMode === 'bridge' && ctx.links?.length ? { Links: [...ctx.links] } : {}),
    // No max-size: with Docker 20.10 a json-file rotation under a following reader loses the reader
    // (bench:ui stalled past 20 MB with 3 × 20 MB), so Docker's copy stays as the daemon's log-opts say.
    LogConfig: { Type: 'json-file', Config: {} },
  };

  return {
    name: ctx.dockerName,
    Image: def.image,
    ...(def.command ? { Cmd: [...def.command] } : {}),
    ...(def.entryPoint ? { Entrypoint: [...def.entryPoint] } : {}),
    Env: envList(def, ctx),
    ...(def.workingDirectory ? { WorkingDir: def.workingDirectory } : {}),
    ...(def.user ? { User: def.user } : {}),
    ...(!awsvpc && def.hostname && ctx.networkMode !== 'host' ? { Hostname: def.hostname } : {}),
    Labels: { ...def.dockerLabels, ...ctx.labels },
    ...(Object.keys(exposed).length ? { ExposedPorts: exposed } : {}),
    Healthcheck: toDockerHealthcheck(def.healthCheck),
    StopTimeout: stopTimeout,
    HostConfig: hostConfig,
  };
}

/** The pause container of an awsvpc task: owns the namespace, the ports, hosts and DNS. */
export function toPauseContainerOptions(
  taskDefinition: TaskDefinition,
  opts: {
    dockerName: string;
    image: string;
    networkName: string;
    labels: Record<string, string>;
    extraHosts: readonly string[];
    /** Host address the task's ports bind to; default DEFAULT_PUBLISH_ADDRESS. */
    publishAddress?: string;
  },
): Docker.ContainerCreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  const hostIp = opts.publishAddress ?? DEFAULT_PUBLISH_ADDRESS;
  const hosts = [...opts.extraHosts];
  const dns: string[] = [];
  const dnsSearch: string[] = [];
  for (const c of taskDefinition.containerDefinitions) {
    for (const p of c.portMappings) {
      const key = `${p.containerPort}/${p.protocol}`;
      exposed[key] = {};
      bindings[key] = [{ HostIp: hostIp, HostPort: String(p.hostPort ?? p.containerPort) }];
    }
    for (const h of c.extraHosts) hosts.push(`${h.hostname}:${h.ipAddress}`);
    dns.push(...c.dnsServers);
    dnsSearch.push(...(c.dnsSearchDomains ?? []));
  }
  return {
    name: opts.dockerName,
    Image: opts.image,
    Entrypoint: ['sleep'],
    Cmd: ['2147483647'],
    Labels: opts.labels,
    ExposedPorts: exposed,
    Healthcheck: { Test: ['NONE'] },
    HostConfig: {
      NetworkMode: opts.networkName,
      PortBindings: bindings,
      ...(hosts.length ? { ExtraHosts: hosts } : {}),
      ...(dns.length ? { Dns: dns } : {}),
      ...(dnsSearch.length ? { DnsSearch: dnsSearch } : {}),
      Init: true,
    },
  };
}

/** awslogs stream name `<prefix>/<container>/<taskId>` when the awslogs driver has a prefix. */
export function awslogsStreamName(def: ContainerDefinition, taskId: string): string | undefined {
  const cfg = def.logConfiguration;
  if (!cfg || cfg.logDriver !== 'awslogs') return undefined;
  const prefix = cfg.options['awslogs-stream-prefix'];
  return prefix ? `${prefix}/${def.name}/${taskId}` : undefined;
}
