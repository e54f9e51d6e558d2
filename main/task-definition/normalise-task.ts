/**
 * Reads the task-level object (RegisterTaskDefinition input shape): task fields, volumes and
 * containers, applying ECS defaults, then runs the cross-container rules.
 */
import type { IssueCollector } from './issue-collector.js';
import { indexPath, keyPath } from './json-path.js';
import {
  DOCKER_VOLUME_FIELDS,
  HOST_VOLUME_FIELDS,
  TASK_DEFINITION_FIELDS,
  VOLUME_FIELDS,
  checkFields,
} from './known-fields.js';
import type { DockerVolumeConfiguration, NetworkMode, TaskDefinition, Volume } from './model.js';
import { NAME_PATTERN, readContainer, type ContainerRead } from './normalise-container.js';
import {
  compact,
  describeValue,
  isPresent,
  readBoolean,
  readEnum,
  readInteger,
  readObject,
  readObjectArray,
  readString,
  readStringArray,
  readStringMap,
  type JsonObject,
} from './read-values.js';
import { parseTaskSize, TASK_SIZE_FORMS } from './task-size.js';
import { checkTaskResources } from './task-resources.js';
import { CONTAINERS_PATH, checkContainerRules } from './validate-rules.js';

const NETWORK_MODES: readonly NetworkMode[] = ['bridge', 'host', 'awsvpc', 'none'];
const COMPATIBILITIES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'];

export interface ReadTaskOptions {
  /** The object wraps a bare containerDefinitions array: it has no task-level fields of its own. */
  readonly containersOnly?: boolean;
}

/** Reads and validates a task-definition object; the result is meaningful only without errors. */
export function readTaskDefinition(
  issues: IssueCollector,
  raw: JsonObject,
  options: ReadTaskOptions = {},
): TaskDefinition {
  checkFields(issues, raw, TASK_DEFINITION_FIELDS, '');

  let family = readString(issues, raw, 'family', '', { required: true, nonEmpty: true });
  if (family !== undefined && !NAME_PATTERN.test(family)) {
    issues.error(
      'family',
      `family '${family}' is invalid: use 1 to 255 letters, numbers, hyphens and underscores`,
    );
    family = undefined;
  }
  const revision = readInteger(issues, raw, 'revision', '', { min: 1 }) ?? 1;

  const requiresCompatibilities = readStringArray(issues, raw, 'requiresCompatibilities', '') ?? [];
  requiresCompatibilities.forEach((value, index) => {
    if (!COMPATIBILITIES.includes(value)) {
      issues.error(
        indexPath('requiresCompatibilities', index),
        `requiresCompatibilities[${index}] must be one of ${COMPATIBILITIES.join(', ')}, got '${value}'`,
      );
    }
  });
  const fargate = requiresCompatibilities.includes('FARGATE');
  const declaredMode = readEnum(issues, raw, 'networkMode', '', NETWORK_MODES);
  const networkMode: NetworkMode = declaredMode ?? (fargate ? 'awsvpc' : 'bridge');
  if (fargate && declaredMode !== undefined && declaredMode !== 'awsvpc') {
    issues.warn(
      'networkMode',
      `ECS requires networkMode awsvpc for FARGATE; running with '${declaredMode}' locally as written`,
    );
  }

  const cpu = readTaskSize(issues, raw, 'cpu');
  const memory = readTaskSize(issues, raw, 'memory');
  const taskRoleArn = readString(issues, raw, 'taskRoleArn', '');
  const executionRoleArn = readString(issues, raw, 'executionRoleArn', '');
  const pidMode = readEnum(issues, raw, 'pidMode', '', ['host', 'task'] as const);
  const ipcMode = readEnum(issues, raw, 'ipcMode', '', ['host', 'task', 'none'] as const);
  const enableExecuteCommand = readBoolean(issues, raw, 'enableExecuteCommand', '');
  if (enableExecuteCommand !== undefined) {
    issues.warn(
      'enableExecuteCommand',
      `enableExecuteCommand is a RunTask/CreateService parameter on ECS, not a task-definition field (RegisterTaskDefinition would refuse it); Taskdeck uses it as the default for local runs of this definition (${enableExecuteCommand ? 'ECS Exec enabled' : 'ECS Exec disabled'})`,
    );
  }

  const volumes = readVolumes(issues, raw);
  const containers = readContainers(issues, raw, networkMode);
  checkContainerRules(issues, containers, new Set(volumes.map((volume) => volume.name)));
  checkTaskResources(
    issues,
    {
      requiresCompatibilities,
      cpu,
      memory,
      cpuPresent: isPresent(raw.cpu),
      memoryPresent: isPresent(raw.memory),
      containersOnly: options.containersOnly === true,
    },
    containers,
  );

  return compact<TaskDefinition>({
    family: family ?? '',
    revision,
    taskRoleArn,
    executionRoleArn,
    networkMode,
    cpu,
    memory,
    containerDefinitions: containers.map((container) => container.definition),
    volumes,
    requiresCompatibilities,
    pidMode,
    ipcMode,
    enableExecuteCommand,
    tags: readTags(raw),
  });
}

/**
 * RegisterTaskDefinition `tags` ([{key, value}]): metadata only (known-fields says `accepted`),
 * kept for the metadata endpoint's `/taskWithTags`; entries without a string key are skipped.
 */
function readTags(raw: JsonObject): readonly { key: string; value: string }[] | undefined {
  const value = raw['tags'];
  if (!Array.isArray(value)) return undefined;
  const tags = value.flatMap((t: unknown) => {
    if (!t || typeof t !== 'object') return [];
    const { key, value: v } = t as { key?: unknown; value?: unknown };
    return typeof key === 'string' && key !== '' ? [{ key, value: typeof v === 'string' ? v : '' }] : [];
  });
  return tags.length > 0 ? tags : undefined;
}

function readTaskSize(issues: IssueCollector, raw: JsonObject, key: 'cpu' | 'memory'): number | undefined {
  const value = raw[key];
  if (!isPresent(value)) return undefined;
  const parsed = parseTaskSize(key, value);
  if (parsed.ok) return parsed.value;
  issues.error(key, `${key} must be ${TASK_SIZE_FORMS[key]}, got ${describeValue(value)}`);
  return undefined;
}

function readContainers(issues: IssueCollector, raw: JsonObject, networkMode: NetworkMode): ContainerRead[] {
  const value = raw.containerDefinitions;
  if (!isPresent(value)) {
    issues.error(
      CONTAINERS_PATH,
      'containerDefinitions is required: a task definition needs at least one container',
    );
    return [];
  }
  if (!Array.isArray(value)) {
    issues.error(CONTAINERS_PATH, `containerDefinitions must be an array, got ${describeValue(value)}`);
    return [];
  }
  if (value.length === 0) {
    issues.error(
      CONTAINERS_PATH,
      'a task definition needs at least one container; containerDefinitions is empty',
    );
    return [];
  }
  return value.flatMap((item: unknown, index) => {
    const container = readContainer(issues, item, indexPath(CONTAINERS_PATH, index), networkMode);
    return container ? [container] : [];
  });
}

function readVolumes(issues: IssueCollector, raw: JsonObject): Volume[] {
  const seen = new Map<string, string>();
  return (
    readObjectArray(issues, raw, 'volumes', '', VOLUME_FIELDS, (item, path) => {
      const name = readString(issues, item, 'name', path, { required: true, nonEmpty: true });
      if (name !== undefined) {
        const namePath = keyPath(path, 'name');
        const first = seen.get(name);
        if (!NAME_PATTERN.test(name)) {
          issues.error(
            namePath,
            `volume name '${name}' is invalid: use 1 to 255 letters, numbers, hyphens and underscores`,
          );
        } else if (first !== undefined) {
          issues.error(namePath, `duplicate volume name '${name}' (also used by ${first})`);
        } else {
          seen.set(name, path);
        }
      }
      const host = readObject(issues, item, 'host', path, HOST_VOLUME_FIELDS);
      const sourcePath =
        host && readString(issues, host, 'sourcePath', keyPath(path, 'host'), { nonEmpty: true });
      const docker = readDockerVolume(issues, item, path);
      if (name === undefined) return undefined;
      return compact<Volume>({
        name,
        host: host ? compact({ sourcePath }) : undefined,
        dockerVolumeConfiguration: docker,
      });
    }) ?? []
  );
}

function readDockerVolume(
  issues: IssueCollector,
  volume: JsonObject,
  base: string,
): DockerVolumeConfiguration | undefined {
  const object = readObject(issues, volume, 'dockerVolumeConfiguration', base, DOCKER_VOLUME_FIELDS);
  if (!object) return undefined;
  const path = keyPath(base, 'dockerVolumeConfiguration');
  return compact<DockerVolumeConfiguration>({
    scope: readEnum(issues, object, 'scope', path, ['task', 'shared'] as const) ?? 'task',
    autoprovision: readBoolean(issues, object, 'autoprovision', path) ?? false,
    driver: readString(issues, object, 'driver', path, { nonEmpty: true }),
    driverOpts: readStringMap(issues, object, 'driverOpts', path) ?? {},
    labels: readStringMap(issues, object, 'labels', path) ?? {},
  });
}
