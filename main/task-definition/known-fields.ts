/**
 * Which fields each ECS object may carry, and what Taskdeck does with them. Supporting a new ECS
 * field is one line here (plus reading it, if it is applied).
 *
 * - `applied`: read, validated and used locally.
 * - `accepted`: valid, carries no local behaviour worth a warning (metadata such as tags).
 * - `readOnly`: DescribeTaskDefinition output only; ignored without a warning.
 * - `{ notApplied }`: valid ECS, not applied locally; a warning explains what happens instead.
 * Anything else is unknown and produces `unknown field 'x' is ignored`.
 */
import type { IssueCollector } from './issue-collector.js';
import { keyPath } from './json-path.js';

export type FieldPolicy = 'applied' | 'accepted' | 'readOnly' | { readonly notApplied: string };
export type FieldTable = Readonly<Record<string, FieldPolicy>>;

const NOT_APPLIED = 'is valid in ECS but not applied locally';

function notApplied(detail?: string): FieldPolicy {
  return { notApplied: detail ? `${NOT_APPLIED}: ${detail}` : NOT_APPLIED };
}

/** Keys of the DescribeTaskDefinition output that wrap the task definition. */
export const DESCRIBE_WRAPPER_FIELDS: FieldTable = { taskDefinition: 'applied', tags: 'accepted' };

export const TASK_DEFINITION_FIELDS: FieldTable = {
  family: 'applied',
  taskRoleArn: 'applied',
  executionRoleArn: 'applied',
  networkMode: 'applied',
  containerDefinitions: 'applied',
  volumes: 'applied',
  requiresCompatibilities: 'applied',
  cpu: 'applied',
  memory: 'applied',
  pidMode: 'applied',
  ipcMode: 'applied',
  tags: 'accepted',
  placementConstraints: notApplied('there is a single local Docker host'),
  proxyConfiguration: notApplied('App Mesh proxies are not configured'),
  inferenceAccelerators: notApplied(),
  ephemeralStorage: notApplied('containers use the local Docker storage'),
  runtimePlatform: notApplied('images run on the local Docker platform'),
  enableFaultInjection: notApplied(),
  // A RunTask/CreateService parameter on ECS; normalise-task.ts reads it and explains that.
  enableExecuteCommand: 'applied',
  // DescribeTaskDefinition read-only fields (also accepted on a bare `.taskDefinition` object).
  revision: 'applied',
  taskDefinitionArn: 'readOnly',
  status: 'readOnly',
  requiresAttributes: 'readOnly',
  compatibilities: 'readOnly',
  registeredAt: 'readOnly',
  registeredBy: 'readOnly',
  deregisteredAt: 'readOnly',
};

export const CONTAINER_FIELDS: FieldTable = {
  name: 'applied',
  image: 'applied',
  repositoryCredentials: 'applied',
  cpu: 'applied',
  memory: 'applied',
  memoryReservation: 'applied',
  portMappings: 'applied',
  essential: 'applied',
  entryPoint: 'applied',
  command: 'applied',
  environment: 'applied',
  environmentFiles: 'applied',
  mountPoints: 'applied',
  volumesFrom: 'applied',
  linuxParameters: 'applied',
  secrets: 'applied',
  dependsOn: 'applied',
  startTimeout: 'applied',
  stopTimeout: 'applied',
  hostname: 'applied',
  user: 'applied',
  workingDirectory: 'applied',
  privileged: 'applied',
  readonlyRootFilesystem: 'applied',
  dnsServers: 'applied',
  extraHosts: 'applied',
  dockerLabels: 'applied',
  ulimits: 'applied',
  logConfiguration: 'applied',
  healthCheck: 'applied',
  links: 'applied',
  disableNetworking: notApplied(),
  dnsSearchDomains: 'applied',
  dockerSecurityOptions: notApplied(),
  interactive: notApplied(),
  pseudoTerminal: notApplied(),
  systemControls: notApplied(),
  resourceRequirements: notApplied('GPUs are not assigned locally'),
  firelensConfiguration: notApplied('logs are captured locally'),
  credentialSpecs: notApplied(),
  restartPolicy: notApplied('containers are not restarted locally'),
  versionConsistency: notApplied(),
};

export const PORT_MAPPING_FIELDS: FieldTable = {
  containerPort: 'applied',
  hostPort: 'applied',
  protocol: 'applied',
  name: 'applied',
  appProtocol: notApplied('Service Connect is not emulated'),
  containerPortRange: notApplied('publish single ports with containerPort'),
};

export const HEALTH_CHECK_FIELDS: FieldTable = {
  command: 'applied',
  interval: 'applied',
  timeout: 'applied',
  retries: 'applied',
  startPeriod: 'applied',
};

export const DEPENDS_ON_FIELDS: FieldTable = { containerName: 'applied', condition: 'applied' };
export const KEY_VALUE_FIELDS: FieldTable = { name: 'applied', value: 'applied' };
export const SECRET_FIELDS: FieldTable = { name: 'applied', valueFrom: 'applied' };
export const ENVIRONMENT_FILE_FIELDS: FieldTable = { value: 'applied', type: 'applied' };
export const MOUNT_POINT_FIELDS: FieldTable = {
  sourceVolume: 'applied',
  containerPath: 'applied',
  readOnly: 'applied',
};
export const VOLUME_FROM_FIELDS: FieldTable = { sourceContainer: 'applied', readOnly: 'applied' };
export const ULIMIT_FIELDS: FieldTable = { name: 'applied', softLimit: 'applied', hardLimit: 'applied' };
export const HOST_ENTRY_FIELDS: FieldTable = { hostname: 'applied', ipAddress: 'applied' };
export const REPOSITORY_CREDENTIALS_FIELDS: FieldTable = { credentialsParameter: 'applied' };

export const LOG_CONFIGURATION_FIELDS: FieldTable = {
  logDriver: 'applied',
  options: 'applied',
  secretOptions: notApplied('logs are captured locally'),
};

export const LINUX_PARAMETERS_FIELDS: FieldTable = {
  capabilities: 'applied',
  devices: 'applied',
  initProcessEnabled: 'applied',
  sharedMemorySize: 'applied',
  tmpfs: 'applied',
  maxSwap: notApplied(),
  swappiness: notApplied(),
};
export const CAPABILITIES_FIELDS: FieldTable = { add: 'applied', drop: 'applied' };
export const DEVICE_FIELDS: FieldTable = {
  hostPath: 'applied',
  containerPath: 'applied',
  permissions: 'applied',
};
export const TMPFS_FIELDS: FieldTable = {
  containerPath: 'applied',
  size: 'applied',
  mountOptions: 'applied',
};

export const VOLUME_FIELDS: FieldTable = {
  name: 'applied',
  host: 'applied',
  dockerVolumeConfiguration: 'applied',
  efsVolumeConfiguration: notApplied('EFS is not mounted; the container gets an empty local volume'),
  fsxWindowsFileServerVolumeConfiguration: notApplied(
    'FSx is not mounted; the container gets an empty local volume',
  ),
  configuredAtLaunch: notApplied(),
};
export const HOST_VOLUME_FIELDS: FieldTable = { sourcePath: 'applied' };
export const DOCKER_VOLUME_FIELDS: FieldTable = {
  scope: 'applied',
  autoprovision: 'applied',
  driver: 'applied',
  driverOpts: 'applied',
  labels: 'applied',
};

/** True for values that carry no setting (`[]`, `{}`, `false`, `null`, `""`): no warning needed. */
function isEmptySetting(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/**
 * Warns about unknown and not-applied fields of the object at `path`. DescribeTaskDefinition
 * output lists many empty defaults (`"systemControls": []`); those stay quiet.
 */
export function checkFields(
  issues: IssueCollector,
  value: Readonly<Record<string, unknown>>,
  table: FieldTable,
  path: string,
): void {
  for (const [key, fieldValue] of Object.entries(value)) {
    const policy = table[key];
    const fieldPath = keyPath(path, key);
    if (policy === undefined || !Object.hasOwn(table, key)) {
      const suggestion = suggestField(key, Object.keys(table));
      issues.warn(
        fieldPath,
        `unknown field '${key}' is ignored${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
      );
    } else if (typeof policy === 'object' && !isEmptySetting(fieldValue)) {
      issues.warn(fieldPath, `${key} ${policy.notApplied}`);
    }
  }
}

/** The known field closest to `key` (case-insensitive, edit distance ≤ 2), if any. */
export function suggestField(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
