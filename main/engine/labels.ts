/** Docker labels the engine puts on everything it creates (semantics §6) and reads back on re-adoption. */

export const LABEL_MANAGED = 'com.taskdeck.managed';
export const LABEL_TASK_ID = 'com.taskdeck.task-id';
export const LABEL_ROLE = 'com.taskdeck.role';
export const LABEL_DATA_DIR = 'com.taskdeck.data-dir';
/** Owner labels (on every object): which process made it, so an orphan (owner gone) is recognised. */
export const LABEL_OWNER_PID = 'com.taskdeck.owner-pid';
/** The owner's start time (boot id + /proc start ticks): a reused pid is not mistaken for the owner. */
export const LABEL_OWNER_START = 'com.taskdeck.owner-start';
export const LABEL_OWNER_HOST = 'com.taskdeck.owner-host';
/** `run`, `app` or `web`: what kind of Taskdeck process made the object. */
export const LABEL_OWNER_KIND = 'com.taskdeck.owner-kind';
/** `true` when the data dir is a `taskdeck run` temporary folder (removed by `taskdeck gc`). */
export const LABEL_DATA_DIR_TEMP = 'com.taskdeck.data-dir-temp';
/** On every app container of a task run with RunTask `enableExecuteCommand` (ECS Exec allowed). */
export const LABEL_EXEC_ENABLED = 'com.taskdeck.enable-execute-command';
/** RunTask `group` and `startedBy` (a service's tasks), so a task re-adopted from labels keeps its service. */
export const LABEL_GROUP = 'com.taskdeck.group';
export const LABEL_STARTED_BY = 'com.taskdeck.started-by';

export const ECS_LABEL_CLUSTER = 'com.amazonaws.ecs.cluster';
export const ECS_LABEL_CONTAINER_NAME = 'com.amazonaws.ecs.container-name';
export const ECS_LABEL_TASK_ARN = 'com.amazonaws.ecs.task-arn';
export const ECS_LABEL_FAMILY = 'com.amazonaws.ecs.task-definition-family';
export const ECS_LABEL_VERSION = 'com.amazonaws.ecs.task-definition-version';

/** The agent's internal name for the awsvpc pause container (its container-name label here too). */
export const PAUSE_CONTAINER_NAME = '~internal~ecs~pause';

export type ResourceRole = 'app' | 'pause' | 'network' | 'volume' | 'endpoint-helper';

export interface TaskLabelInput {
  readonly clusterArn: string;
  readonly taskArn: string;
  readonly taskId: string;
  readonly family: string;
  readonly revision: number;
  /** Owner labels of the engine that creates the object (see owner.ts). */
  readonly owner?: Readonly<Record<string, string>>;
  /** Value of `com.amazonaws.ecs.cluster` (short name on EC2); absent → the cluster ARN. */
  readonly clusterLabel?: string;
}

/** Labels for a container, network or volume of a task. */
export function taskLabels(
  task: TaskLabelInput,
  role: ResourceRole,
  containerName?: string,
): Record<string, string> {
  const labels: Record<string, string> = {
    ...task.owner,
    [ECS_LABEL_CLUSTER]: task.clusterLabel ?? task.clusterArn,
    [ECS_LABEL_TASK_ARN]: task.taskArn,
    [ECS_LABEL_FAMILY]: task.family,
    [ECS_LABEL_VERSION]: String(task.revision),
    [LABEL_MANAGED]: 'true',
    [LABEL_TASK_ID]: task.taskId,
    [LABEL_ROLE]: role,
  };
  if (containerName !== undefined) labels[ECS_LABEL_CONTAINER_NAME] = containerName;
  return labels;
}
