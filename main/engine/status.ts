/**
 * Ordered status enums and pure helpers for tasks and containers (semantics §2, §5).
 */
import type {
  ContainerLastStatus,
  ContainerPhase,
  HealthStatus,
  TaskLastStatus,
} from '../../contract/dto.js';

/** Task lastStatus values in lifecycle order. */
export const TASK_STATUS_ORDER: readonly TaskLastStatus[] = [
  'PROVISIONING',
  'PENDING',
  'ACTIVATING',
  'RUNNING',
  'DEACTIVATING',
  'STOPPING',
  'DEPROVISIONING',
  'STOPPED',
];

/** Position of a task status in the lifecycle; a task never moves backwards. */
export function taskStatusRank(status: TaskLastStatus): number {
  return TASK_STATUS_ORDER.indexOf(status);
}

/** The API lastStatus of an engine-internal container phase (NONE/PULLED/CREATED map to PENDING). */
export function containerLastStatus(phase: ContainerPhase): ContainerLastStatus {
  switch (phase) {
    case 'NONE':
    case 'WAITING':
    case 'PULLING':
    case 'PULLED':
    case 'CREATED':
      return 'PENDING';
    case 'RUNNING':
    case 'STOPPING':
      return 'RUNNING';
    case 'STOPPED':
      return 'STOPPED';
    default:
      return assertNever(phase);
  }
}

/** The metadata endpoint's KnownStatus (agent-internal names). */
export function containerKnownStatus(phase: ContainerPhase): string {
  switch (phase) {
    case 'NONE':
    case 'PULLING':
      return 'NONE';
    // A container waits on dependsOn after its image is pulled (as the agent does: pulls are not
    // gated by container ordering), so the agent would report it PULLED.
    case 'WAITING':
    case 'PULLED':
      return 'PULLED';
    case 'CREATED':
      return 'CREATED';
    case 'RUNNING':
    case 'STOPPING':
      return 'RUNNING';
    case 'STOPPED':
      return 'STOPPED';
    default:
      return assertNever(phase);
  }
}

/** Task health from essential containers only: UNHEALTHY > UNKNOWN > HEALTHY (semantics §5). */
export function deriveTaskHealth(
  containers: readonly { readonly essential: boolean; readonly healthStatus: HealthStatus }[],
): HealthStatus {
  const essential = containers.filter((c) => c.essential);
  if (essential.length === 0) return 'UNKNOWN';
  if (essential.some((c) => c.healthStatus === 'UNHEALTHY')) return 'UNHEALTHY';
  if (essential.some((c) => c.healthStatus === 'UNKNOWN')) return 'UNKNOWN';
  return 'HEALTHY';
}

/** Compile-time exhaustiveness check. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value ${String(value)}`);
}
