/**
 * Readers for the nested parts of a container definition (ports, health check, dependsOn,
 * mounts, linuxParameters…). Each validates its part, records issues at exact paths and returns
 * the normalised value with ECS defaults applied.
 */
import type { IssueCollector } from './issue-collector.js';
import { keyPath } from './json-path.js';
import {
  CAPABILITIES_FIELDS,
  DEPENDS_ON_FIELDS,
  DEVICE_FIELDS,
  HEALTH_CHECK_FIELDS,
  LINUX_PARAMETERS_FIELDS,
  LOG_CONFIGURATION_FIELDS,
  PORT_MAPPING_FIELDS,
  TMPFS_FIELDS,
} from './known-fields.js';
import {
  DEPENDENCY_CONDITIONS,
  type DependencyCondition,
  type HealthCheck,
  type LinuxParameters,
  type LogConfiguration,
  type NetworkMode,
  type PortMapping,
} from './model.js';
import {
  compact,
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

/** Health-check bounds and defaults (seconds), as ECS documents them. */
export const HEALTH_CHECK_LIMITS = {
  interval: { min: 5, max: 300, default: 30 },
  timeout: { min: 2, max: 60, default: 5 },
  retries: { min: 1, max: 10, default: 3 },
  startPeriod: { min: 0, max: 300, default: 0 },
} as const;

const HEALTH_CHECK_KINDS = ['CMD', 'CMD-SHELL', 'NONE'];

export interface HealthCheckRead {
  readonly healthCheck?: HealthCheck;
  /** The container declares a health check (possibly invalid); `["NONE"]` declares none. */
  readonly declared: boolean;
}

/** Reads `healthCheck`, applying ECS defaults; `["NONE"]` yields no health check. */
export function readHealthCheck(
  issues: IssueCollector,
  container: JsonObject,
  base: string,
): HealthCheckRead {
  const raw = container.healthCheck;
  const object = readObject(issues, container, 'healthCheck', base, HEALTH_CHECK_FIELDS);
  if (!object) return { declared: isPresent(raw) };
  const path = keyPath(base, 'healthCheck');
  const commandPath = keyPath(path, 'command');
  const command = readStringArray(issues, object, 'command', path);
  let valid = command !== undefined;
  if (!isPresent(object.command)) {
    issues.error(
      commandPath,
      'healthCheck command is required, e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]',
    );
  } else if (command !== undefined && command.length === 0) {
    issues.error(
      commandPath,
      'healthCheck command must not be empty; its first element is CMD, CMD-SHELL or NONE',
    );
    valid = false;
  } else if (command?.[0] !== undefined) {
    const kind = command[0];
    if (kind === 'NONE') return { declared: false };
    if (!HEALTH_CHECK_KINDS.includes(kind)) {
      // ECS registers this (ADOT documents ["/healthcheck"]) and hands the array to Docker as its
      // Healthcheck.Test unchanged; Docker reads Test[0] as the check type, logs "Unknown
      // healthcheck type" and never probes, so the agent reports the container's health as
      // UNKNOWN for as long as it runs. Taskdeck passes it through the same way.
      issues.warn(
        `${commandPath}[0]`,
        `healthCheck command[0] is '${kind}', not CMD, CMD-SHELL or NONE: ECS accepts this and passes the command to Docker as written, and Docker takes the first element as the check type, so the check never runs and the container's health stays UNKNOWN (a dependsOn HEALTHY on it never becomes true); to run it, write ["CMD", ${JSON.stringify(kind)}${command.length > 1 ? ', …' : ''}]`,
      );
    } else if (command.length < 2) {
      issues.error(commandPath, `healthCheck command '${kind}' needs the command to run after it`);
      valid = false;
    }
  }
  const seconds = (key: keyof typeof HEALTH_CHECK_LIMITS): number => {
    const limits = HEALTH_CHECK_LIMITS[key];
    const unit = key === 'retries' ? '' : ' seconds';
    const value = readInteger(issues, object, key, path, { min: limits.min, max: limits.max, unit });
    if (value === undefined && isPresent(object[key])) valid = false;
    return value ?? limits.default;
  };
  const interval = seconds('interval');
  const timeout = seconds('timeout');
  const retries = seconds('retries');
  const startPeriod = seconds('startPeriod');
  if (!valid || command === undefined) return { declared: true };
  return { declared: true, healthCheck: { command, interval, timeout, retries, startPeriod } };
}

/** Reads `portMappings`; in awsvpc and host modes hostPort defaults to, and must equal, containerPort. */
export function readPortMappings(
  issues: IssueCollector,
  container: JsonObject,
  base: string,
  networkMode: NetworkMode,
): PortMapping[] {
  const mappings =
    readObjectArray(issues, container, 'portMappings', base, PORT_MAPPING_FIELDS, (item, path) => {
      const containerPort = readInteger(issues, item, 'containerPort', path, {
        required: true,
        min: 0,
        max: 65535,
      });
      let hostPort = readInteger(issues, item, 'hostPort', path, { min: 0, max: 65535 });
      const protocol = readEnum(issues, item, 'protocol', path, ['tcp', 'udp'] as const) ?? 'tcp';
      const name = readString(issues, item, 'name', path);
      if (containerPort === undefined) return undefined;
      if (networkMode === 'awsvpc' || networkMode === 'host') {
        if (hostPort !== undefined && hostPort !== containerPort) {
          issues.error(
            keyPath(path, 'hostPort'),
            `hostPort must equal containerPort (${containerPort}) in ${networkMode} network mode, got ${hostPort}`,
          );
        }
        hostPort = containerPort;
      }
      return compact<PortMapping>({ containerPort, hostPort, protocol, name });
    }) ?? [];
  if (networkMode === 'none' && mappings.length > 0) {
    issues.warn(keyPath(base, 'portMappings'), 'portMappings are ignored in none network mode');
  }
  return mappings;
}

/** A dependsOn entry as read, before cross-container checks. */
export interface DependencyRead {
  readonly containerName: string;
  /** Undefined when the condition is missing or invalid (already reported). */
  readonly condition?: DependencyCondition;
  /** Path of the dependsOn entry, e.g. `containerDefinitions[2].dependsOn[0]`. */
  readonly path: string;
}

/** Reads `dependsOn` with the exact ECS messages for a missing name or an invalid condition. */
export function readDependsOn(issues: IssueCollector, container: JsonObject, base: string): DependencyRead[] {
  return (
    readObjectArray(issues, container, 'dependsOn', base, DEPENDS_ON_FIELDS, (item, path) => {
      const conditionPath = keyPath(path, 'condition');
      const rawCondition = item.condition;
      let condition: DependencyCondition | undefined;
      if (!isPresent(rawCondition)) {
        issues.error(conditionPath, 'Container dependency is missing required field: condition');
      } else if (DEPENDENCY_CONDITIONS.includes(rawCondition as DependencyCondition)) {
        condition = rawCondition as DependencyCondition;
      } else {
        const shown = typeof rawCondition === 'string' ? rawCondition : JSON.stringify(rawCondition);
        issues.error(
          conditionPath,
          `Container dependency condition '${shown}' is invalid. Valid values are: ${DEPENDENCY_CONDITIONS.join(', ')}`,
        );
      }
      if (!isPresent(item.containerName)) {
        issues.error(
          keyPath(path, 'containerName'),
          'Container dependency is missing required field: containerName',
        );
        return undefined;
      }
      const containerName = readString(issues, item, 'containerName', path, { nonEmpty: true });
      return containerName === undefined
        ? undefined
        : compact<DependencyRead>({ containerName, condition, path });
    }) ?? []
  );
}

const LOCAL_LOG_DRIVERS = ['awslogs', 'json-file'];

/** Reads `logConfiguration`; drivers other than awslogs/json-file are captured locally instead. */
export function readLogConfiguration(
  issues: IssueCollector,
  container: JsonObject,
  base: string,
): LogConfiguration | undefined {
  const object = readObject(issues, container, 'logConfiguration', base, LOG_CONFIGURATION_FIELDS);
  if (!object) return undefined;
  const path = keyPath(base, 'logConfiguration');
  const logDriver = readString(issues, object, 'logDriver', path, { required: true, nonEmpty: true });
  const options = readStringMap(issues, object, 'options', path) ?? {};
  if (logDriver === undefined) return undefined;
  if (!LOCAL_LOG_DRIVERS.includes(logDriver)) {
    issues.warn(
      keyPath(path, 'logDriver'),
      `log driver '${logDriver}' is valid in ECS but not applied locally: logs are captured locally`,
    );
  }
  return { logDriver, options };
}

const DEVICE_PERMISSIONS = ['read', 'write', 'mknod'] as const;

/** Reads `linuxParameters` (capabilities, devices, init, shared memory, tmpfs). */
export function readLinuxParameters(
  issues: IssueCollector,
  container: JsonObject,
  base: string,
): LinuxParameters | undefined {
  const object = readObject(issues, container, 'linuxParameters', base, LINUX_PARAMETERS_FIELDS);
  if (!object) return undefined;
  const path = keyPath(base, 'linuxParameters');
  const capabilitiesObject = readObject(issues, object, 'capabilities', path, CAPABILITIES_FIELDS);
  const capabilitiesPath = keyPath(path, 'capabilities');
  const capabilities = capabilitiesObject && {
    add: readStringArray(issues, capabilitiesObject, 'add', capabilitiesPath) ?? [],
    drop: readStringArray(issues, capabilitiesObject, 'drop', capabilitiesPath) ?? [],
  };
  const devices = readObjectArray(issues, object, 'devices', path, DEVICE_FIELDS, (item, itemPath) => {
    const hostPath = readString(issues, item, 'hostPath', itemPath, { required: true, nonEmpty: true });
    const containerPath = readString(issues, item, 'containerPath', itemPath);
    const permissions = readStringArray(issues, item, 'permissions', itemPath);
    permissions?.forEach((permission, index) => {
      if (!(DEVICE_PERMISSIONS as readonly string[]).includes(permission)) {
        issues.error(
          `${keyPath(itemPath, 'permissions')}[${index}]`,
          `permissions must be read, write or mknod, got '${permission}'`,
        );
      }
    });
    return hostPath === undefined ? undefined : compact({ hostPath, containerPath, permissions });
  });
  const tmpfs = readObjectArray(issues, object, 'tmpfs', path, TMPFS_FIELDS, (item, itemPath) => {
    const containerPath = readString(issues, item, 'containerPath', itemPath, {
      required: true,
      nonEmpty: true,
    });
    const size = readInteger(issues, item, 'size', itemPath, { required: true, min: 1, unit: ' MiB' });
    const mountOptions = readStringArray(issues, item, 'mountOptions', itemPath);
    return containerPath === undefined || size === undefined
      ? undefined
      : compact({ containerPath, size, mountOptions });
  });
  return compact<LinuxParameters>({
    capabilities,
    devices,
    initProcessEnabled: readBoolean(issues, object, 'initProcessEnabled', path),
    sharedMemorySize: readInteger(issues, object, 'sharedMemorySize', path, { min: 0, unit: ' MiB' }),
    tmpfs,
  });
}
