/**
 * Service view-model (pure): counts across deployments, the "why is it waiting" line, task
 * definition references, and what the update control can offer.
 */
import type { DeploymentView, ServiceView } from '../../../../contract/service-dto.js';

export interface ServiceCounts {
  readonly desired: number;
  readonly running: number;
  readonly pending: number;
  /** Tasks that failed to start or went unhealthy, over every deployment still listed. */
  readonly failed: number;
  /** Running tasks of older deployments (still serving while the primary rolls out). */
  readonly oldRunning: number;
}

export function serviceCounts(service: ServiceView): ServiceCounts {
  const old = service.deployments.filter((d) => d.status !== 'PRIMARY');
  return {
    desired: service.desiredCount,
    running: service.runningCount,
    pending: service.pendingCount,
    failed: service.deployments.reduce((n, d) => n + d.failedTasks, 0),
    oldRunning: old.reduce((n, d) => n + d.runningCount, 0),
  };
}

export function primaryDeployment(service: ServiceView): DeploymentView | undefined {
  return service.deployments.find((d) => d.status === 'PRIMARY');
}

/** ECS "steady state": one deployment, COMPLETED, running = desired, nothing pending. */
export function isSteady(service: ServiceView): boolean {
  const primary = primaryDeployment(service);
  return (
    service.status === 'ACTIVE' &&
    service.deployments.filter((d) => d.status !== 'INACTIVE').length === 1 &&
    primary?.rolloutState === 'COMPLETED' &&
    service.runningCount === service.desiredCount &&
    service.pendingCount === 0
  );
}

/** What the service is waiting for, when it is not steady (the primary deployment's own words first). */
export function waitingLine(service: ServiceView): string | undefined {
  if (service.status === 'DRAINING') return 'Deleting: draining targets and stopping every task';
  const primary = primaryDeployment(service);
  if (primary?.rolloutState === 'FAILED') return `Deployment failed: ${primary.rolloutStateReason}`;
  if (primary?.waitingFor) return primary.waitingFor;
  if (isSteady(service)) return undefined;
  const c = serviceCounts(service);
  if (c.pending > 0) return `${c.pending} task${c.pending === 1 ? '' : 's'} starting`;
  if (c.running < c.desired)
    return `${c.desired - c.running} more task${c.desired - c.running === 1 ? '' : 's'} to start`;
  if (c.running > c.desired)
    return `${c.running - c.desired} task${c.running - c.desired === 1 ? '' : 's'} to stop`;
  return primary?.rolloutState === 'IN_PROGRESS' ? 'Rollout in progress' : undefined;
}

/** `arn:aws:ecs:…:task-definition/web:3` or `web:3` → family and revision. */
export function parseDefinitionRef(ref: string): { family: string; revision?: number } {
  const bare = ref.replace(/^arn:[^/]*task-definition\//, '');
  const m = /^(.*?):(\d+)$/.exec(bare);
  return m ? { family: m[1] as string, revision: Number(m[2]) } : { family: bare };
}

/** `web:3` from an ARN or a ref (tables are narrow). */
export function shortDefinitionRef(ref: string): string {
  return ref.replace(/^arn:[^/]*task-definition\//, '');
}

export interface RevisionChoice {
  readonly definitionId: string;
  readonly family: string;
  readonly revision: number;
  readonly current: boolean;
  /** Its latest deployment on this service FAILED (and was rolled back). */
  readonly failed: boolean;
}

/**
 * Library definitions the service can be updated to: same family, valid, newest revision first;
 * the one it runs is marked current, those whose latest deployment failed are marked failed.
 * Duplicates of a revision keep the first (most recently listed).
 */
export function revisionChoices(
  serviceTaskDefinition: string,
  definitions: readonly { id: string; family: string; revision?: number; valid: boolean }[],
  failedTaskDefinitions: readonly string[] = [],
): RevisionChoice[] {
  const { family, revision } = parseDefinitionRef(serviceTaskDefinition);
  const failed = new Set(
    failedTaskDefinitions
      .map((ref) => parseDefinitionRef(ref))
      .filter((r) => r.family === family)
      .map((r) => r.revision),
  );
  const seen = new Set<number>();
  const out: RevisionChoice[] = [];
  for (const d of definitions) {
    if (!d.valid || d.family !== family || d.revision === undefined || seen.has(d.revision)) continue;
    seen.add(d.revision);
    out.push({
      definitionId: d.id,
      family,
      revision: d.revision,
      current: d.revision === revision,
      failed: failed.has(d.revision),
    });
  }
  return out.sort((a, b) => b.revision - a.revision);
}

/** What the picker offers first: the newest revision that is neither running nor failed. */
export function defaultRevisionChoice(choices: readonly RevisionChoice[]): RevisionChoice | undefined {
  return choices.find((c) => !c.current && !c.failed);
}

/** Newest first, whatever order the events arrive in. */
export function eventsNewestFirst<T extends { createdAt: string; id: string }>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
}
