/** Builders of TaskDetail / ContainerDetail for the view-model tests (not shipped code paths). */
import type { ContainerDetail, TaskDetail } from '../../../../contract/dto.js';

/** A container with sensible defaults; override what the case is about. */
export function container(over: Partial<ContainerDetail> & { name: string }): ContainerDetail {
  return {
    containerArn: `arn:aws:ecs:us-east-1:000000000000:container/default/t/${over.name}`,
    taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/default/t',
    image: 'busybox',
    lastStatus: 'PENDING',
    healthStatus: 'UNKNOWN',
    networkBindings: [],
    networkInterfaces: [],
    essential: true,
    phase: 'NONE',
    phases: [],
    dependencies: [],
    ...over,
  };
}

/** A task holding `containers`. */
export function task(containers: readonly ContainerDetail[], over: Partial<TaskDetail> = {}): TaskDetail {
  return {
    taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/default/t',
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
    taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/f:1',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    launchType: 'FARGATE',
    group: 'family:f',
    attachments: [],
    containers,
    createdAt: '2025-01-01T00:00:00.000Z',
    version: 1,
    taskId: 't',
    family: 'f',
    revision: 1,
    networkMode: 'bridge',
    ...over,
  };
}
