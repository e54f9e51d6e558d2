/** Builders of service DTOs for the view-model tests. */
import type { DeploymentView, ServiceView, TargetView } from '../../../../contract/service-dto.js';

export function deployment(over: Partial<DeploymentView> = {}): DeploymentView {
  return {
    id: 'ecs-svc/1111111111111111111',
    status: 'PRIMARY',
    taskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1',
    desiredCount: 1,
    pendingCount: 0,
    runningCount: 1,
    failedTasks: 0,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    rolloutState: 'COMPLETED',
    rolloutStateReason: 'ECS deployment ecs-svc/1111111111111111111 completed.',
    ...over,
  };
}

export function service(over: Partial<ServiceView> = {}): ServiceView {
  return {
    serviceArn: 'arn:aws:ecs:us-east-1:000000000000:service/default/api',
    serviceName: 'api',
    clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/default',
    status: 'ACTIVE',
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    launchType: 'EC2',
    taskDefinition: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:1',
    healthCheckGracePeriodSeconds: 0,
    deploymentConfiguration: {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
    loadBalancers: [],
    deployments: [deployment()],
    events: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    version: 1,
    targetGroups: [],
    tasks: [],
    failedTaskDefinitions: [],
    ...over,
  };
}

export function target(over: Partial<TargetView> = {}): TargetView {
  return {
    id: '127.0.0.1:32768',
    host: '127.0.0.1',
    port: 32768,
    taskId: 'task1',
    containerName: 'web',
    state: 'healthy',
    registeredAt: '2026-01-01T00:00:00.000Z',
    inFlightRequests: 0,
    checks: [],
    history: [],
    ...over,
  };
}
