/** Builders for normalised task definitions with ECS defaults (tests only; no I/O). */
import type { ContainerDefinition, TaskDefinition } from '../task-definition/model.js';

export const TEST_IMAGE = 'taskdeck-test/busybox:latest';

/** A shell loop that runs until SIGTERM, then exits 143 (a shell as PID 1 ignores SIGTERM otherwise). */
export const FOREVER = 'trap "exit 143" TERM; while true; do sleep 0.1; done';

/**
 * FOREVER that prints TRAP_SET once its trap is in place. Docker reports the container running
 * before the shell has read its script, and a SIGTERM in that window is lost (PID 1 has no
 * default action), so a test that stops at once and expects 143 waits for the mark first.
 */
export const TRAP_SET = 'trap-set';
export const FOREVER_MARKED = `trap "exit 143" TERM; echo ${TRAP_SET}; while true; do sleep 0.1; done`;

/** `command` running the given lines with `sh -c`. */
export const sh = (...lines: string[]) => ({ command: ['sh', '-c', lines.join('\n')] });

/** A container definition with ECS defaults, overridable. */
export function container(name: string, over: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return {
    name,
    image: TEST_IMAGE,
    essential: true,
    environment: [],
    environmentFiles: [],
    secrets: [],
    cpu: 0,
    ulimits: [],
    mountPoints: [],
    volumesFrom: [],
    readonlyRootFilesystem: false,
    privileged: false,
    dockerLabels: {},
    extraHosts: [],
    dnsServers: [],
    portMappings: [],
    dependsOn: [],
    ...over,
  };
}

export function taskDef(
  family: string,
  containers: ContainerDefinition[],
  over: Partial<TaskDefinition> = {},
): TaskDefinition {
  return {
    family,
    revision: 1,
    networkMode: 'bridge',
    containerDefinitions: containers,
    volumes: [],
    requiresCompatibilities: [],
    ...over,
  };
}
