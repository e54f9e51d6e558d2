/**
 * Deployment timeline view-model (pure): per task of the service, its milestones (started →
 * running → registered → healthy → draining → stopping → stopped) as phases on a shared axis,
 * grouped by deployment, newest deployment first.
 */
import type {
  DeploymentView,
  ServiceTaskMilestone,
  ServiceTaskView,
} from '../../../../contract/service-dto.js';

export type Phase =
  'starting' | 'registering' | 'initial' | 'healthy' | 'unhealthy' | 'draining' | 'stopping';

export interface PhaseSegment {
  readonly phase: Phase;
  readonly start: number;
  readonly end: number;
}

export interface MilestoneMark {
  readonly kind: ServiceTaskMilestone;
  readonly at: number;
  readonly detail?: string;
}

export interface TaskLane {
  readonly taskId: string;
  readonly lastStatus: string;
  readonly healthStatus: string;
  readonly segments: readonly PhaseSegment[];
  readonly marks: readonly MilestoneMark[];
  /** The latest milestone (what the task is doing now). */
  readonly current?: MilestoneMark;
}

export interface DeploymentLanes {
  readonly deployment: DeploymentView | undefined;
  readonly deploymentId: string;
  readonly lanes: readonly TaskLane[];
}

/** The phase a task is in after a milestone (stopped ends the lane). */
export function phaseAfter(kind: ServiceTaskMilestone): Phase | undefined {
  switch (kind) {
    case 'started':
      return 'starting';
    case 'running':
      return 'registering';
    case 'registered':
      return 'initial';
    case 'healthy':
      return 'healthy';
    case 'unhealthy':
      return 'unhealthy';
    case 'draining':
      return 'draining';
    case 'stopping':
      return 'stopping';
    case 'stopped':
      return undefined;
  }
}

export function taskLane(task: ServiceTaskView, end: number): TaskLane {
  const marks: MilestoneMark[] = task.milestones
    .map((m) => ({
      kind: m.kind,
      at: Date.parse(m.at),
      ...(m.detail !== undefined ? { detail: m.detail } : {}),
    }))
    .filter((m) => Number.isFinite(m.at))
    .sort((a, b) => a.at - b.at);
  const segments: PhaseSegment[] = [];
  marks.forEach((m, i) => {
    const phase = phaseAfter(m.kind);
    if (!phase) return;
    const next = marks[i + 1];
    segments.push({ phase, start: m.at, end: Math.max(m.at, next ? next.at : end) });
  });
  const current = marks[marks.length - 1];
  return {
    taskId: task.taskId,
    lastStatus: task.lastStatus,
    healthStatus: task.healthStatus,
    segments,
    marks,
    ...(current ? { current } : {}),
  };
}

/** Lanes grouped by deployment: deployments in the service's order (newest first), then unknown ones. */
export function deploymentLanes(
  deployments: readonly DeploymentView[],
  tasks: readonly ServiceTaskView[],
  end: number,
): DeploymentLanes[] {
  const ids = [...deployments.map((d) => d.id)];
  for (const t of tasks) if (!ids.includes(t.deploymentId)) ids.push(t.deploymentId);
  return ids
    .map((id) => ({
      deployment: deployments.find((d) => d.id === id),
      deploymentId: id,
      lanes: tasks
        .filter((t) => t.deploymentId === id)
        .map((t) => taskLane(t, end))
        .sort((a, b) => (a.marks[0]?.at ?? 0) - (b.marks[0]?.at ?? 0)),
    }))
    .filter((g) => g.lanes.length > 0 || g.deployment?.status !== 'INACTIVE');
}

/** Axis for every lane: first milestone to now (or the last milestone). */
export function lanesWindow(groups: readonly DeploymentLanes[], now: number): { start: number; end: number } {
  const times = groups.flatMap((g) => g.lanes.flatMap((l) => l.marks.map((m) => m.at)));
  const start = times.length ? Math.min(...times) : now;
  return { start, end: Math.max(start + 1000, now, ...times) };
}
