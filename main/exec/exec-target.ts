/**
 * Finds the Docker container behind (task, container name) from labels alone, so a task started by
 * any Taskdeck process (`taskdeck run`, the app, web mode) can be reached: the task id or ARN label,
 * the ECS container-name label, and whether the task was run with `enableExecuteCommand`.
 */
import type Docker from '../docker/docker-client.js';
import {
  ECS_LABEL_CONTAINER_NAME,
  ECS_LABEL_TASK_ARN,
  LABEL_EXEC_ENABLED,
  LABEL_MANAGED,
  LABEL_ROLE,
  LABEL_TASK_ID,
} from '../engine/labels.js';
import { EXEC_NOT_ENABLED_MESSAGE, ExecError } from './exec-errors.js';

/** A running app container that may be exec'ed into. */
export interface ExecTarget {
  readonly containerId: string;
  readonly taskId: string;
  readonly taskArn: string;
  readonly containerName: string;
}

/** The Docker slice the lookup needs. */
export type ExecTargetDocker = Pick<Docker, 'listContainers'>;

/** `task` as a label filter: an ARN matches the task-arn label, anything else the task-id label. */
function taskFilter(task: string): string {
  return task.startsWith('arn:') ? `${ECS_LABEL_TASK_ARN}=${task}` : `${LABEL_TASK_ID}=${task}`;
}

/**
 * Resolves the target, or throws ExecError: no such task, no such container in it (naming the
 * ones it has), not running, or exec not enabled (ECS's wording).
 */
export async function findExecTarget(
  docker: ExecTargetDocker,
  task: string,
  containerName: string,
): Promise<ExecTarget> {
  const all = await docker.listContainers({
    all: true,
    filters: { label: [`${LABEL_MANAGED}=true`, `${LABEL_ROLE}=app`, taskFilter(task)] },
  });
  if (all.length === 0) {
    throw new ExecError(
      'TaskNotFound',
      `No task "${task}" on this Docker engine (no container labelled ${task.startsWith('arn:') ? ECS_LABEL_TASK_ARN : LABEL_TASK_ID}=${task})`,
    );
  }
  const match = all.find((c) => c.Labels[ECS_LABEL_CONTAINER_NAME] === containerName);
  if (!match) {
    const names = [...new Set(all.map((c) => c.Labels[ECS_LABEL_CONTAINER_NAME] ?? '?'))].sort();
    throw new ExecError(
      'ContainerNotFound',
      `Task ${task} has no container "${containerName}" (containers: ${names.join(', ')})`,
    );
  }
  if (match.Labels[LABEL_EXEC_ENABLED] !== 'true')
    throw new ExecError('ExecNotEnabled', EXEC_NOT_ENABLED_MESSAGE);
  if (match.State !== 'running') {
    throw new ExecError(
      'ContainerNotRunning',
      `Container "${containerName}" of task ${task} is not running (Docker state: ${match.State})`,
    );
  }
  return {
    containerId: match.Id,
    taskId: match.Labels[LABEL_TASK_ID] ?? task,
    taskArn: match.Labels[ECS_LABEL_TASK_ARN] ?? '',
    containerName,
  };
}
