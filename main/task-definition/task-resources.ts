/**
 * Task-size rules RegisterTaskDefinition enforces across the task and its containers (memory and
 * Fargate sizes), with ECS's own wording where it is known:
 * - a task that may run on EC2 (requiresCompatibilities empty, or naming EC2 or EXTERNAL) and has
 *   no task-level memory needs `memory` or `memoryReservation` on every container;
 * - a FARGATE task needs task-level cpu and memory, and the pair must be in Fargate's table;
 * - no container's `memory` may exceed the task's, nor may the containers' reservations together.
 */
import { keyPath } from './json-path.js';
import type { IssueCollector } from './issue-collector.js';
import type { ContainerRead } from './normalise-container.js';

export interface TaskResources {
  readonly requiresCompatibilities: readonly string[];
  /** Task cpu in CPU units and memory in MiB, when set and valid. */
  readonly cpu?: number;
  readonly memory?: number;
  /** The task-level fields were present (even if invalid, which is reported on its own). */
  readonly cpuPresent: boolean;
  readonly memoryPresent: boolean;
  /**
   * A bare containerDefinitions array (Terraform's `container_definitions`): the task-level
   * fields live elsewhere (the resource's own cpu, memory, requires_compatibilities), so the rules
   * that need them are warnings, not errors.
   */
  readonly containersOnly: boolean;
}

/** Fargate task sizes: CPU units → allowed memory in MiB (AWS "Task CPU and memory" table). */
export const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, steps(1024, 4096, 1024)],
  [1024, steps(2048, 8192, 1024)],
  [2048, steps(4096, 16384, 1024)],
  [4096, steps(8192, 30720, 1024)],
  [8192, steps(16384, 61440, 4096)],
  [16384, steps(32768, 122880, 8192)],
]);

function steps(from: number, to: number, by: number): number[] {
  const values: number[] = [];
  for (let value = from; value <= to; value += by) values.push(value);
  return values;
}

/** True when ECS would validate the definition for the EC2 launch type. */
export function isEc2Compatible(requiresCompatibilities: readonly string[]): boolean {
  return (
    requiresCompatibilities.length === 0 ||
    requiresCompatibilities.includes('EC2') ||
    requiresCompatibilities.includes('EXTERNAL')
  );
}

/** Records every task-size problem. */
export function checkTaskResources(
  issues: IssueCollector,
  task: TaskResources,
  containers: readonly ContainerRead[],
): void {
  if (task.containersOnly) {
    checkContainersOnly(issues, containers);
    return;
  }
  if (!task.memoryPresent && isEc2Compatible(task.requiresCompatibilities)) {
    for (const container of containers) {
      if (!container.declaresMemory && container.name !== undefined) {
        issues.error(
          keyPath(container.path, 'memory'),
          `Invalid setting for container '${container.name}'. At least one of 'memory' or 'memoryReservation' must be specified. (ECS requires it when the task has no task-level memory and may run on EC2)`,
        );
      }
    }
  }
  if (task.requiresCompatibilities.includes('FARGATE')) checkFargateSize(issues, task);
  if (task.memory !== undefined) checkAgainstTaskMemory(issues, task.memory, containers);
}

function checkFargateSize(issues: IssueCollector, task: TaskResources): void {
  if (!task.cpuPresent) {
    issues.error('cpu', "Fargate requires that 'cpu' be defined at the task level");
  }
  if (!task.memoryPresent) {
    issues.error('memory', "Fargate requires that 'memory' be defined at the task level");
  }
  if (task.cpu === undefined || task.memory === undefined) return;
  const allowed = FARGATE_SIZES.get(task.cpu);
  if (allowed?.includes(task.memory)) return;
  const hint = allowed
    ? `with ${task.cpu} CPU units memory must be one of ${describeSizes(allowed)} MiB`
    : `cpu must be one of ${[...FARGATE_SIZES.keys()].join(', ')} CPU units`;
  issues.error(
    'memory',
    `No Fargate configuration exists for given values: ${task.cpu} CPU, ${task.memory} memory (${hint})`,
  );
}

function describeSizes(sizes: readonly number[]): string {
  if (sizes.length <= 3) return sizes.join(', ');
  const step = (sizes[1] ?? 0) - (sizes[0] ?? 0);
  return `${sizes[0]}–${sizes[sizes.length - 1]} in steps of ${step}`;
}

function checkAgainstTaskMemory(
  issues: IssueCollector,
  taskMemory: number,
  containers: readonly ContainerRead[],
): void {
  let reserved = 0;
  for (const container of containers) {
    const { memory, memoryReservation } = container.definition;
    if (memory !== undefined && memory > taskMemory) {
      issues.error(
        keyPath(container.path, 'memory'),
        `The 'memory' setting for container '${container.name ?? container.path}' is greater than for the task (${memory} MiB > ${taskMemory} MiB)`,
      );
    }
    reserved += memoryReservation ?? memory ?? 0;
  }
  const overLimit = containers.some(
    (container) => container.definition.memory !== undefined && container.definition.memory > taskMemory,
  );
  if (reserved > taskMemory && !overLimit) {
    issues.error(
      'memory',
      `The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory' (containers reserve ${reserved} MiB, memoryReservation or else memory each; the task has ${taskMemory} MiB)`,
    );
  }
}

/** Terraform-style arrays: say what ECS will need from the task, without refusing. */
function checkContainersOnly(issues: IssueCollector, containers: readonly ContainerRead[]): void {
  const unsized = containers.filter((container) => !container.declaresMemory && container.name !== undefined);
  if (unsized.length === 0) return;
  issues.warn(
    'containerDefinitions',
    `container${unsized.length === 1 ? '' : 's'} ${unsized.map((c) => `'${c.name ?? ''}'`).join(', ')} set neither 'memory' nor 'memoryReservation': ECS accepts that only when the task definition sets task-level memory (for EC2) or is FARGATE; a containerDefinitions array carries neither, so check the resource that wraps it`,
  );
}
