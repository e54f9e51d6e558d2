/**
 * Pure bookkeeping on a service record: the scheduler's view of it, retiring finished
 * deployments, pruning long-stopped tasks, the next timer, events (newest first, at most 100),
 * task milestones and EventBridge-shaped action events.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceActionEvent, ServiceTaskMilestone } from '../../contract/service-dto.js';
import type { ServiceRecord } from './service-store.js';
import type { SchedulerState } from './scheduler/scheduler-state.js';
import { inGracePeriod } from './scheduler/decide.js';
import { newDeploymentId } from './service-messages.js';
import type { DeploymentState } from './scheduler/scheduler-state.js';

/** How long a STOPPED task stays in the record (and the deployment timeline). */
export const KEEP_STOPPED_MS = 10 * 60_000;

/** What `decide` reads from a record. */
export function schedulerStateOf(r: ServiceRecord): SchedulerState {
  const s = r.input.service;
  return {
    desiredCount: r.desiredCount,
    minimumHealthyPercent: s.minimumHealthyPercent,
    maximumPercent: s.maximumPercent,
    circuitBreaker: s.circuitBreaker,
    healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds,
    targetGroupArns: s.loadBalancers.map((l) => l.targetGroupArn),
    deployments: r.deployments.filter((d) => d.status !== 'INACTIVE'),
    tasks: r.tasks,
    throttle: r.throttle,
    deleting: r.deleting,
    steady: r.steady,
  };
}

/** Old deployments with no task left become INACTIVE once the primary COMPLETED; at most 10 kept. */
export function retireDeployments(r: ServiceRecord): void {
  const [primary, ...rest] = r.deployments;
  for (const d of rest) {
    const live = r.tasks.some((t) => t.deploymentId === d.id && t.lastStatus !== 'STOPPED');
    if (!live && d.status === 'ACTIVE' && primary?.rolloutState === 'COMPLETED') d.status = 'INACTIVE';
  }
  r.deployments = r.deployments.filter((d, i) => i < 10 || d.status !== 'INACTIVE');
}

/** Drops tasks STOPPED longer than KEEP_STOPPED_MS ago, with their milestones. */
export function pruneStoppedTasks(r: ServiceRecord, now: number): void {
  const lastAt = (id: string) => Date.parse(r.milestones[id]?.at(-1)?.at ?? '1970-01-01T00:00:00Z');
  const gone = r.tasks.filter((t) => t.lastStatus === 'STOPPED' && now - lastAt(t.taskId) >= KEEP_STOPPED_MS);
  if (gone.length === 0) return;
  r.tasks = r.tasks.filter((t) => !gone.includes(t));
  for (const t of gone) delete r.milestones[t.taskId];
}

/** When the scheduler must look again by itself (throttle end, grace period end); undefined: no timer. */
export function nextWake(r: ServiceRecord, now: number): number | undefined {
  const grace = r.input.service.healthCheckGracePeriodSeconds;
  const wakes = [r.throttle.nextStartAt];
  for (const t of r.tasks) {
    if (t.runningAt && inGracePeriod(t, grace, now)) wakes.push(Date.parse(t.runningAt) + grace * 1000);
  }
  const next = Math.min(...wakes.filter((w) => w > now));
  return Number.isFinite(next) ? next : undefined;
}

/** Adds a service event (newest first, at most 100 as ECS keeps). */
export function appendEvent(r: ServiceRecord, message: string, at: string): void {
  r.events.unshift({ id: randomUUID(), createdAt: at, message });
  if (r.events.length > 100) r.events.length = 100;
}

/** Adds a milestone to a task's timeline. */
export function addMilestone(
  r: ServiceRecord,
  taskId: string,
  kind: ServiceTaskMilestone,
  at: string,
  detail?: string,
): void {
  const list = (r.milestones[taskId] ??= []);
  list.push({ at, kind, ...(detail ? { detail } : {}) });
}

/** An EventBridge "ECS Service Action" / "ECS Deployment State Change" event. */
export function actionEvent(
  where: { region: string; account: string; arns: { clusterArn: string; serviceArn: string } },
  type: ServiceActionEvent['detail-type'],
  eventType: ServiceActionEvent['detail']['eventType'],
  eventName: string,
  at: string,
  extra: { deploymentId?: string; reason?: string },
): ServiceActionEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': type,
    source: 'aws.ecs',
    account: where.account,
    time: at,
    region: where.region,
    resources: [where.arns.serviceArn],
    detail: {
      eventType,
      eventName,
      clusterArn: where.arns.clusterArn,
      createdAt: at,
      ...extra,
      ...(extra.deploymentId ? { updatedAt: at } : {}),
    },
  };
}

/** Adds a new PRIMARY deployment (the previous primary becomes ACTIVE); resets the throttle. `{id}` in `reason` is replaced. */
export function pushDeployment(
  r: ServiceRecord,
  ref: string,
  definition: DeploymentState['taskDefinition'],
  reason: string,
  at: string,
): DeploymentState {
  for (const d of r.deployments) if (d.status === 'PRIMARY') d.status = 'ACTIVE';
  const id = newDeploymentId();
  const dep: DeploymentState = {
    id,
    taskDefinitionRef: ref,
    taskDefinition: definition,
    status: 'PRIMARY',
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: reason.replace('{id}', id),
    createdAt: at,
    updatedAt: at,
    failedTasks: 0,
  };
  r.deployments.unshift(dep);
  r.throttle = { consecutiveFailures: 0, nextStartAt: 0, impairedReported: false };
  r.steady = false;
  return dep;
}
