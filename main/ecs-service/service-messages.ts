/**
 * Service event messages in ECS's wording, service/cluster ARNs and deployment ids, and the
 * ServiceView built from a service record. Pure.
 */
import { randomInt } from 'node:crypto';
import type {
  DeploymentView,
  ServiceTaskView,
  ServiceView,
  TargetGroupView,
} from '../../contract/service-dto.js';
import type { ServiceRecord } from './service-store.js';
import { failureThreshold } from './scheduler/decide.js';

/** The ECS service event messages Taskdeck writes. */
export const messages = {
  started: (svc: string, ids: readonly string[]) =>
    `(service ${svc}) has started ${ids.length} tasks: ${ids.map((i) => `(task ${i})`).join(' ')}.`,
  stopped: (svc: string, ids: readonly string[]) =>
    `(service ${svc}) has stopped ${ids.length} running tasks: ${ids.map((i) => `(task ${i})`).join(' ')}.`,
  registered: (svc: string, n: number, tg: string) =>
    `(service ${svc}) registered ${n} targets in (target-group ${tg})`,
  draining: (svc: string, n: number) => `(service ${svc}) has begun draining connections on ${n} tasks.`,
  deregistered: (svc: string, n: number, tg: string) =>
    `(service ${svc}) deregistered ${n} targets in (target-group ${tg})`,
  unhealthy: (svc: string, port: number, tg: string, reason: string) =>
    `(service ${svc}) (port ${port}) is unhealthy in (target-group ${tg}) due to (reason ${reason}).`,
  steady: (svc: string) => `(service ${svc}) has reached a steady state.`,
  completed: (svc: string, dep: string) => `(service ${svc}) (deployment ${dep}) deployment completed.`,
  failed: (svc: string, dep: string, why: string) =>
    `(service ${svc}) (deployment ${dep}) deployment failed: ${why}`,
  rollingBack: (svc: string, dep: string, to: string) =>
    `(service ${svc}) (deployment ${dep}) deployment failed: rolling back to deployment ${to}.`,
  impaired: (svc: string) =>
    `(service ${svc}) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.`,
  taskUnhealthy: (svc: string, id: string, why: string) =>
    `(service ${svc}) (task ${id}) failed container health checks: ${why}.`,
} as const;

/** `ecs-svc/` and 19 digits, as ECS names deployments. */
export function newDeploymentId(): string {
  let digits = String(randomInt(1, 10));
  for (let i = 0; i < 18; i++) digits += String(randomInt(0, 10));
  return `ecs-svc/${digits}`;
}

/** ARNs of the cluster and the service. */
export function serviceArns(region: string, account: string, cluster: string, name: string) {
  return {
    clusterArn: `arn:aws:ecs:${region}:${account}:cluster/${cluster}`,
    serviceArn: `arn:aws:ecs:${region}:${account}:service/${cluster}/${name}`,
  };
}

const PENDING = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);

/** DescribeServices shape of a record (plus the load balancer's target groups). */
export function buildView(
  r: ServiceRecord,
  arns: { clusterArn: string; serviceArn: string },
  groups: readonly TargetGroupView[],
  waitingFor: string | undefined,
): ServiceView {
  const spec = r.input.service;
  const liveOf = (depId: string | undefined) =>
    r.tasks.filter((t) => (depId === undefined || t.deploymentId === depId) && t.lastStatus !== 'STOPPED');
  const deployments: DeploymentView[] = r.deployments
    .filter((d) => d.status !== 'INACTIVE')
    .map((d, i) => ({
      id: d.id,
      status: d.status,
      taskDefinition: d.taskDefinitionRef,
      desiredCount: i === 0 ? r.desiredCount : 0,
      pendingCount: liveOf(d.id).filter((t) => PENDING.has(t.lastStatus)).length,
      runningCount: liveOf(d.id).filter((t) => t.lastStatus === 'RUNNING').length,
      failedTasks: d.failedTasks,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
      ...(spec.circuitBreaker.enable ? { failureThreshold: failureThreshold(r.desiredCount) } : {}),
      ...(i === 0 && d.rolloutState === 'IN_PROGRESS' && waitingFor ? { waitingFor } : {}),
    }));
  const tasks: ServiceTaskView[] = r.tasks.map((t) => ({
    taskId: t.taskId,
    deploymentId: t.deploymentId,
    lastStatus: t.lastStatus,
    healthStatus: t.healthStatus,
    milestones: r.milestones[t.taskId] ?? [],
  }));
  return {
    ...arns,
    serviceName: spec.serviceName,
    status: r.deleting ? 'DRAINING' : 'ACTIVE',
    desiredCount: r.desiredCount,
    runningCount: liveOf(undefined).filter((t) => t.lastStatus === 'RUNNING').length,
    pendingCount: liveOf(undefined).filter((t) => PENDING.has(t.lastStatus)).length,
    launchType: spec.launchType ?? 'EC2',
    taskDefinition: r.deployments[0]?.taskDefinitionRef ?? spec.taskDefinitionRef,
    healthCheckGracePeriodSeconds: spec.healthCheckGracePeriodSeconds,
    deploymentConfiguration: {
      minimumHealthyPercent: spec.minimumHealthyPercent,
      maximumPercent: spec.maximumPercent,
      deploymentCircuitBreaker: spec.circuitBreaker,
    },
    loadBalancers: spec.loadBalancers,
    deployments,
    events: r.events,
    createdAt: r.createdAt,
    version: r.version,
    targetGroups: groups,
    tasks,
    failedTaskDefinitions: failedRefs(r),
  };
}

/** Task definitions whose most recent deployment (newest first in the record) FAILED. */
function failedRefs(r: ServiceRecord): string[] {
  const decided = new Set<string>();
  const failed: string[] = [];
  for (const d of r.deployments) {
    if (decided.has(d.taskDefinitionRef)) continue;
    decided.add(d.taskDefinitionRef);
    if (d.rolloutState === 'FAILED') failed.push(d.taskDefinitionRef);
  }
  return failed;
}

/**
 * The load balancer's recent checks of a task's target in words, for `waitingFor`:
 * "GET /health → 500, 2 of 2 unhealthy checks" (or "… 1 of 5 healthy checks" while initial).
 */
export function checkSummary(group: TargetGroupView | undefined, taskId: string): string | undefined {
  const target = group?.targets.find((t) => t.taskId === taskId && t.state !== 'unused');
  const last = target?.checks.at(-1);
  if (!group || !target || !last) return undefined;
  let run = 0;
  for (let i = target.checks.length - 1; i >= 0 && target.checks[i]!.ok === last.ok; i--) run++;
  const threshold = last.ok ? group.healthyThresholdCount : group.unhealthyThresholdCount;
  const outcome = last.statusCode ?? last.error ?? 'no answer';
  return `GET ${group.healthCheckPath} → ${outcome}, ${Math.min(run, threshold)} of ${threshold} ${last.ok ? 'healthy' : 'unhealthy'} checks`;
}
