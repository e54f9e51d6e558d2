/**
 * Reads one container definition: validates every field, applies ECS defaults and keeps what the
 * cross-container rules need (valid name, dependencies, mounts with their paths).
 */
import type { IssueCollector } from './issue-collector.js';
import { keyPath } from './json-path.js';
import {
  CONTAINER_FIELDS,
  ENVIRONMENT_FILE_FIELDS,
  HOST_ENTRY_FIELDS,
  KEY_VALUE_FIELDS,
  MOUNT_POINT_FIELDS,
  REPOSITORY_CREDENTIALS_FIELDS,
  SECRET_FIELDS,
  ULIMIT_FIELDS,
  VOLUME_FROM_FIELDS,
  checkFields,
} from './known-fields.js';
import { envEntryProblem, shownName } from './env-safety.js';
import type { ContainerDefinition, NetworkMode } from './model.js';
import {
  readDependsOn,
  readHealthCheck,
  readLinuxParameters,
  readLogConfiguration,
  readPortMappings,
  type DependencyRead,
} from './normalise-container-parts.js';
import { readLinks, type LinkRead } from './read-links.js';
import {
  compact,
  describeValue,
  isJsonObject,
  isPresent,
  readBoolean,
  readEnum,
  readInteger,
  readObject,
  readObjectArray,
  readString,
  readStringArray,
  readStringMap,
} from './read-values.js';

/** Container (and volume, family) names: what ECS accepts. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]{1,255}$/;

/** Minimum container memory Docker accepts, MiB. */
export const MIN_CONTAINER_MEMORY_MIB = 6;

const ULIMIT_NAMES = [
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
] as const;

/** A container as read, with what the cross-container rules need. */
export interface ContainerRead {
  readonly definition: ContainerDefinition;
  /** e.g. `containerDefinitions[1]`. */
  readonly path: string;
  /** The name, when present and valid (duplicates and references are checked against it). */
  readonly name?: string;
  /** Declares a health check (even an invalid one, which is reported on its own). */
  readonly declaresHealthCheck: boolean;
  /** Sets `memory` or `memoryReservation` (even to an invalid value, which is reported on its own). */
  readonly declaresMemory: boolean;
  readonly dependencies: readonly DependencyRead[];
  readonly mountPoints: readonly { readonly sourceVolume: string; readonly path: string }[];
  readonly volumesFrom: readonly { readonly sourceContainer: string; readonly path: string }[];
  readonly links: readonly LinkRead[];
}

/** Reads the container at `path`; undefined when it is not even an object (reported). */
export function readContainer(
  issues: IssueCollector,
  raw: unknown,
  path: string,
  networkMode: NetworkMode,
): ContainerRead | undefined {
  if (!isJsonObject(raw)) {
    issues.error(path, `a container definition must be an object, got ${describeValue(raw)}`);
    return undefined;
  }
  checkFields(issues, raw, CONTAINER_FIELDS, path);

  let name = readString(issues, raw, 'name', path, { required: true });
  if (name !== undefined && !NAME_PATTERN.test(name)) {
    issues.error(
      keyPath(path, 'name'),
      `container name '${name}' is invalid: use 1 to 255 letters, numbers, hyphens and underscores`,
    );
    name = undefined;
  }
  const image = readString(issues, raw, 'image', path, { required: true, nonEmpty: true });

  const memory = readInteger(issues, raw, 'memory', path, { min: MIN_CONTAINER_MEMORY_MIB, unit: ' MiB' });
  const memoryReservation = readInteger(issues, raw, 'memoryReservation', path, {
    min: MIN_CONTAINER_MEMORY_MIB,
    unit: ' MiB',
  });
  if (memory !== undefined && memoryReservation !== undefined && memoryReservation > memory) {
    issues.error(
      keyPath(path, 'memoryReservation'),
      `memoryReservation (${memoryReservation} MiB) must not be greater than memory (${memory} MiB)`,
    );
  }

  const health = readHealthCheck(issues, raw, path);
  const dependencies = readDependsOn(issues, raw, path);
  const mountPoints: { sourceVolume: string; path: string }[] = [];
  const volumesFrom: { sourceContainer: string; path: string }[] = [];
  const links = readLinks(issues, raw, path, networkMode);

  const definition = compact<ContainerDefinition>({
    name: name ?? (typeof raw.name === 'string' ? raw.name : ''),
    image: image ?? '',
    essential: readBoolean(issues, raw, 'essential', path) ?? true,
    command: readStringArray(issues, raw, 'command', path),
    entryPoint: readStringArray(issues, raw, 'entryPoint', path),
    environment:
      readObjectArray(issues, raw, 'environment', path, KEY_VALUE_FIELDS, (item, itemPath) => {
        const envName = readString(issues, item, 'name', itemPath, { required: true, nonEmpty: true });
        const value = readString(issues, item, 'value', itemPath) ?? '';
        const problem = envName === undefined ? undefined : envEntryProblem(envName, value);
        if (problem && envName !== undefined) {
          const field = problem === 'contains a NUL byte' ? 'value' : 'name';
          issues.error(
            keyPath(itemPath, field),
            `environment variable ${shownName(envName)} ${problem}, which Docker refuses`,
          );
        }
        return envName === undefined ? undefined : { name: envName, value };
      }) ?? [],
    environmentFiles:
      readObjectArray(issues, raw, 'environmentFiles', path, ENVIRONMENT_FILE_FIELDS, (item, itemPath) => {
        const value = readString(issues, item, 'value', itemPath, { required: true, nonEmpty: true });
        const type = readEnum(issues, item, 'type', itemPath, ['s3'] as const, { required: true });
        return value === undefined || type === undefined ? undefined : { value, type };
      }) ?? [],
    secrets:
      readObjectArray(issues, raw, 'secrets', path, SECRET_FIELDS, (item, itemPath) => {
        const secretName = readString(issues, item, 'name', itemPath, { required: true, nonEmpty: true });
        const valueFrom = readString(issues, item, 'valueFrom', itemPath, { required: true, nonEmpty: true });
        const problem = secretName === undefined ? undefined : envEntryProblem(secretName, '');
        if (problem && secretName !== undefined) {
          issues.error(
            keyPath(itemPath, 'name'),
            `secret ${shownName(secretName)} ${problem}, which Docker refuses`,
          );
        }
        return secretName === undefined || valueFrom === undefined
          ? undefined
          : { name: secretName, valueFrom };
      }) ?? [],
    workingDirectory: readString(issues, raw, 'workingDirectory', path),
    user: readString(issues, raw, 'user', path),
    memory,
    memoryReservation,
    cpu: readInteger(issues, raw, 'cpu', path, { min: 0, unit: ' CPU units' }) ?? 0,
    ulimits:
      readObjectArray(issues, raw, 'ulimits', path, ULIMIT_FIELDS, (item, itemPath) => {
        const ulimitName = readEnum(issues, item, 'name', itemPath, ULIMIT_NAMES, { required: true });
        const softLimit = readInteger(issues, item, 'softLimit', itemPath, { required: true });
        const hardLimit = readInteger(issues, item, 'hardLimit', itemPath, { required: true });
        if (softLimit !== undefined && hardLimit !== undefined && softLimit > hardLimit) {
          issues.error(
            keyPath(itemPath, 'softLimit'),
            `softLimit (${softLimit}) must not be greater than hardLimit (${hardLimit})`,
          );
        }
        return ulimitName === undefined || softLimit === undefined || hardLimit === undefined
          ? undefined
          : { name: ulimitName, softLimit, hardLimit };
      }) ?? [],
    linuxParameters: readLinuxParameters(issues, raw, path),
    mountPoints:
      readObjectArray(issues, raw, 'mountPoints', path, MOUNT_POINT_FIELDS, (item, itemPath) => {
        const sourceVolume = readString(issues, item, 'sourceVolume', itemPath, {
          required: true,
          nonEmpty: true,
        });
        const containerPath = readString(issues, item, 'containerPath', itemPath, {
          required: true,
          nonEmpty: true,
        });
        const readOnly = readBoolean(issues, item, 'readOnly', itemPath) ?? false;
        if (sourceVolume !== undefined)
          mountPoints.push({ sourceVolume, path: keyPath(itemPath, 'sourceVolume') });
        return sourceVolume === undefined || containerPath === undefined
          ? undefined
          : { sourceVolume, containerPath, readOnly };
      }) ?? [],
    volumesFrom:
      readObjectArray(issues, raw, 'volumesFrom', path, VOLUME_FROM_FIELDS, (item, itemPath) => {
        const sourceContainer = readString(issues, item, 'sourceContainer', itemPath, {
          required: true,
          nonEmpty: true,
        });
        const readOnly = readBoolean(issues, item, 'readOnly', itemPath) ?? false;
        if (sourceContainer === undefined) return undefined;
        volumesFrom.push({ sourceContainer, path: keyPath(itemPath, 'sourceContainer') });
        return { sourceContainer, readOnly };
      }) ?? [],
    readonlyRootFilesystem: readBoolean(issues, raw, 'readonlyRootFilesystem', path) ?? false,
    privileged: readBoolean(issues, raw, 'privileged', path) ?? false,
    dockerLabels: readStringMap(issues, raw, 'dockerLabels', path) ?? {},
    extraHosts:
      readObjectArray(issues, raw, 'extraHosts', path, HOST_ENTRY_FIELDS, (item, itemPath) => {
        const hostname = readString(issues, item, 'hostname', itemPath, { required: true, nonEmpty: true });
        const ipAddress = readString(issues, item, 'ipAddress', itemPath, { required: true, nonEmpty: true });
        return hostname === undefined || ipAddress === undefined ? undefined : { hostname, ipAddress };
      }) ?? [],
    dnsServers: readStringArray(issues, raw, 'dnsServers', path) ?? [],
    dnsSearchDomains: readStringArray(issues, raw, 'dnsSearchDomains', path),
    links: links.links,
    hostname: readString(issues, raw, 'hostname', path),
    portMappings: readPortMappings(issues, raw, path, networkMode),
    stopTimeout: readInteger(issues, raw, 'stopTimeout', path, { min: 1, max: 120, unit: ' seconds' }),
    startTimeout: readInteger(issues, raw, 'startTimeout', path, { min: 0, unit: ' seconds' }),
    healthCheck: health.healthCheck,
    dependsOn: dependencies.flatMap((dependency) =>
      dependency.condition
        ? [{ containerName: dependency.containerName, condition: dependency.condition }]
        : [],
    ),
    logConfiguration: readLogConfiguration(issues, raw, path),
    repositoryCredentials: readRepositoryCredentials(issues, raw, path),
  });

  return compact<ContainerRead>({
    definition,
    path,
    name,
    declaresHealthCheck: health.declared,
    declaresMemory: isPresent(raw.memory) || isPresent(raw.memoryReservation),
    dependencies,
    mountPoints,
    volumesFrom,
    links: links.reads,
  });
}

function readRepositoryCredentials(
  issues: IssueCollector,
  raw: Readonly<Record<string, unknown>>,
  path: string,
): { credentialsParameter: string } | undefined {
  const object = readObject(issues, raw, 'repositoryCredentials', path, REPOSITORY_CREDENTIALS_FIELDS);
  if (!object || !isPresent(object)) return undefined;
  const credentialsParameter = readString(
    issues,
    object,
    'credentialsParameter',
    keyPath(path, 'repositoryCredentials'),
    { required: true, nonEmpty: true },
  );
  return credentialsParameter === undefined ? undefined : { credentialsParameter };
}
