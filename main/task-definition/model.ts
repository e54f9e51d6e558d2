/**
 * The normalised task-definition model: one typed shape for all three accepted input shapes,
 * with ECS defaults applied. Everything downstream (engine, docker mapping, UI DTOs) reads this.
 * Pure data; no I/O.
 */

/** dependsOn condition, exactly as ECS spells it. */
export type DependencyCondition = 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY';
export const DEPENDENCY_CONDITIONS: readonly DependencyCondition[] = [
  'START',
  'COMPLETE',
  'SUCCESS',
  'HEALTHY',
];

export type NetworkMode = 'bridge' | 'host' | 'awsvpc' | 'none';

/** A container health check with ECS defaults applied (seconds). */
export interface HealthCheck {
  readonly command: readonly string[];
  readonly interval: number;
  readonly timeout: number;
  readonly retries: number;
  readonly startPeriod: number;
}

export interface ContainerDependency {
  readonly containerName: string;
  readonly condition: DependencyCondition;
}

export interface PortMapping {
  readonly containerPort: number;
  /** undefined (or 0) means "dynamic" in bridge mode; equals containerPort in awsvpc/host. */
  readonly hostPort?: number;
  readonly protocol: 'tcp' | 'udp';
  readonly name?: string;
}

export interface KeyValuePair {
  readonly name: string;
  readonly value: string;
}

export interface SecretRef {
  readonly name: string;
  readonly valueFrom: string;
}

export interface EnvironmentFile {
  readonly value: string;
  readonly type: 's3';
}

export interface MountPoint {
  readonly sourceVolume: string;
  readonly containerPath: string;
  readonly readOnly: boolean;
}

export interface VolumeFrom {
  readonly sourceContainer: string;
  readonly readOnly: boolean;
}

export interface Ulimit {
  readonly name: string;
  readonly softLimit: number;
  readonly hardLimit: number;
}

export interface HostEntry {
  readonly hostname: string;
  readonly ipAddress: string;
}

/** A legacy Docker link to another container of the task (`"db"` or `"db:database"`). */
export interface ContainerLink {
  readonly containerName: string;
  /** The name the target answers to inside the linking container (default: its container name). */
  readonly alias: string;
}

export interface LinuxParameters {
  readonly capabilities?: { readonly add: readonly string[]; readonly drop: readonly string[] };
  readonly devices?: readonly {
    readonly hostPath: string;
    readonly containerPath?: string;
    readonly permissions?: readonly string[];
  }[];
  readonly initProcessEnabled?: boolean;
  /** MiB */
  readonly sharedMemorySize?: number;
  readonly tmpfs?: readonly {
    readonly containerPath: string;
    readonly size: number;
    readonly mountOptions?: readonly string[];
  }[];
}

export interface LogConfiguration {
  readonly logDriver: string;
  readonly options: Readonly<Record<string, string>>;
}

export interface ContainerDefinition {
  readonly name: string;
  readonly image: string;
  /** Default true. */
  readonly essential: boolean;
  readonly command?: readonly string[];
  readonly entryPoint?: readonly string[];
  readonly environment: readonly KeyValuePair[];
  readonly environmentFiles: readonly EnvironmentFile[];
  readonly secrets: readonly SecretRef[];
  readonly workingDirectory?: string;
  readonly user?: string;
  /** Hard limit, MiB. */
  readonly memory?: number;
  /** Soft limit, MiB. */
  readonly memoryReservation?: number;
  /** CPU units (1024 = one vCPU); default 0. */
  readonly cpu: number;
  readonly ulimits: readonly Ulimit[];
  readonly linuxParameters?: LinuxParameters;
  readonly mountPoints: readonly MountPoint[];
  readonly volumesFrom: readonly VolumeFrom[];
  readonly readonlyRootFilesystem: boolean;
  readonly privileged: boolean;
  readonly dockerLabels: Readonly<Record<string, string>>;
  readonly extraHosts: readonly HostEntry[];
  readonly dnsServers: readonly string[];
  readonly dnsSearchDomains?: readonly string[];
  /** bridge only: Docker links to other containers of the task (implicit START dependencies). */
  readonly links?: readonly ContainerLink[];
  readonly hostname?: string;
  readonly portMappings: readonly PortMapping[];
  /** Seconds between SIGTERM and SIGKILL; default 30 (applied by the engine when undefined). */
  readonly stopTimeout?: number;
  /** Seconds this container may take to satisfy its dependents' COMPLETE/SUCCESS/HEALTHY. */
  readonly startTimeout?: number;
  /** undefined when absent or `["NONE"]`. */
  readonly healthCheck?: HealthCheck;
  readonly dependsOn: readonly ContainerDependency[];
  readonly logConfiguration?: LogConfiguration;
  readonly repositoryCredentials?: { readonly credentialsParameter: string };
}

export interface DockerVolumeConfiguration {
  readonly scope: 'task' | 'shared';
  readonly autoprovision: boolean;
  readonly driver?: string;
  readonly driverOpts: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

export interface Volume {
  readonly name: string;
  /** Bind mount from the host when sourcePath is set; otherwise an anonymous task volume. */
  readonly host?: { readonly sourcePath?: string };
  readonly dockerVolumeConfiguration?: DockerVolumeConfiguration;
}

export interface TaskDefinition {
  readonly family: string;
  /** From the input when present (DescribeTaskDefinition), else 1. */
  readonly revision: number;
  readonly taskRoleArn?: string;
  readonly executionRoleArn?: string;
  readonly networkMode: NetworkMode;
  /** Task-level CPU units / memory MiB as ECS stores them (strings in the API; numbers here). */
  readonly cpu?: number;
  readonly memory?: number;
  readonly containerDefinitions: readonly ContainerDefinition[];
  readonly volumes: readonly Volume[];
  readonly requiresCompatibilities: readonly string[];
  readonly pidMode?: 'host' | 'task';
  readonly ipcMode?: 'host' | 'task' | 'none';
  /**
   * Not a task-definition field on ECS (RunTask/CreateService take it); accepted here because people
   * put it here, and used as the default of local runs of this definition.
   */
  readonly enableExecuteCommand?: boolean;
  /** RegisterTaskDefinition `tags` (metadata only; the metadata endpoint's `/taskWithTags`). */
  readonly tags?: readonly { readonly key: string; readonly value: string }[];
}

/** A problem found in the input, located by JSON path (and line/column for syntax errors). */
export interface DefinitionIssue {
  /** e.g. `containerDefinitions[1].dependsOn[0].condition`; `` (empty) for the document root. */
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export type ParseResult =
  | {
      readonly ok: true;
      readonly taskDefinition: TaskDefinition;
      readonly warnings: readonly DefinitionIssue[];
    }
  | {
      readonly ok: false;
      readonly errors: readonly DefinitionIssue[];
      readonly warnings: readonly DefinitionIssue[];
    };
