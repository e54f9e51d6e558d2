/**
 * One launch type per task, and what follows from it (semantics §2): FARGATE only for awsvpc tasks
 * that Fargate would take, EC2 otherwise, overridable per launch. The platform then decides the
 * cluster label, the Docker names and the shape of the metadata documents.
 */
import type { TaskDefinition } from '../task-definition/model.js';

export const LAUNCH_TYPES = ['EC2', 'FARGATE'] as const;
export type LaunchType = (typeof LAUNCH_TYPES)[number];

/**
 * Whether Fargate would run this definition: awsvpc, plus either FARGATE in
 * requiresCompatibilities or (none named) task-level cpu and memory, which Fargate requires.
 */
export function fargateCompatible(def: TaskDefinition): boolean {
  if (def.networkMode !== 'awsvpc') return false;
  if (def.requiresCompatibilities.length > 0) return def.requiresCompatibilities.includes('FARGATE');
  return def.cpu !== undefined && def.memory !== undefined;
}

/** The launch type a task gets when the launch names none. */
export function defaultLaunchType(def: TaskDefinition): LaunchType {
  return fargateCompatible(def) ? 'FARGATE' : 'EC2';
}

/** RunTask's refusal of a launch type the definition cannot have, or undefined when it can. */
export function launchTypeProblem(def: TaskDefinition, launchType: LaunchType): string | undefined {
  if (launchType === 'FARGATE' && def.networkMode !== 'awsvpc') {
    return `Task definition does not support launch_type FARGATE: Fargate requires networkMode awsvpc (this definition uses ${def.networkMode}).`;
  }
  if (
    launchType === 'EC2' &&
    def.requiresCompatibilities.length > 0 &&
    !def.requiresCompatibilities.includes('EC2')
  ) {
    return 'Task definition does not support launch_type EC2: its requiresCompatibilities does not include EC2.';
  }
  return undefined;
}

/** The short cluster name at the end of a cluster ARN. */
export function clusterNameOf(clusterArn: string): string {
  const slash = clusterArn.lastIndexOf('/');
  return slash >= 0 ? clusterArn.slice(slash + 1) : clusterArn;
}

/**
 * What the agent puts in `com.amazonaws.ecs.cluster` and the metadata's `Cluster`: its configured
 * cluster (the short name) on EC2 (amazon-ecs-agent agent/engine/docker_task_engine.go,
 * `config.Labels[labelCluster] = engine.cfg.Cluster`), the cluster ARN on Fargate.
 */
export function clusterLabelValue(launchType: string, clusterArn: string): string {
  return launchType === 'FARGATE' ? clusterArn : clusterNameOf(clusterArn);
}

/**
 * The Docker name of an app container of an EC2 task, as the agent names it:
 * `ecs-<family>-<revision>-<name without characters other than [A-Za-z0-9-]>-<hex>`
 * (amazon-ecs-agent agent/engine/docker_task_engine.go; its hex is 10 random bytes, here the
 * task id's last 20 hex digits, so the name stays unique and stable across re-adoption).
 */
export function ec2DockerName(family: string, revision: number, container: string, taskId: string): string {
  const name = container.replace(/[^A-Za-z0-9-]+/g, '');
  return `ecs-${family}-${revision}-${name}-${taskId.slice(-20)}`;
}
