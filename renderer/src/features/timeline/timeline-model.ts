/**
 * Launch-timeline view-model (pure): one row per container with phase segments (pulling,
 * created, waiting, running, stopping, stopped), health bands, and markers where a dependency was
 * released or failed; task-level markers where the stop was requested and where stopping began.
 * Rows are ordered by when each container started, so a dependent that started before its
 * upstream was ready sits visibly above it, left of the release marker.
 */
import type {
  ContainerPhase,
  HealthProbe,
  TaskDefinitionView,
  TaskDetail,
} from '../../../../contract/dto.js';
import { healthBands, probeMarks, type HealthBand } from '../health/health-model.js';

export type SegmentKind = 'pending' | 'waiting' | 'pulling' | 'created' | 'running' | 'stopping' | 'stopped';

export interface Segment {
  readonly kind: SegmentKind;
  readonly start: number;
  readonly end: number;
  readonly label: string;
  readonly detail?: string;
}

export type MarkerKind = 'released' | 'dependency-failed' | 'stop-requested' | 'stopping';

export interface Marker {
  readonly kind: MarkerKind;
  readonly at: number;
  readonly label: string;
}

export interface TimelineRow {
  readonly container: string;
  readonly essential: boolean;
  readonly segments: readonly Segment[];
  readonly health: readonly HealthBand[];
  readonly markers: readonly Marker[];
  /** When it started running (undefined: never did). */
  readonly startedAt?: number;
}

export interface TimelineModel {
  readonly start: number;
  readonly end: number;
  readonly rows: readonly TimelineRow[];
  readonly markers: readonly Marker[];
}

function kindOf(phase: ContainerPhase): SegmentKind {
  switch (phase) {
    case 'NONE':
      return 'pending';
    case 'WAITING':
      return 'waiting';
    case 'PULLING':
      return 'pulling';
    case 'PULLED':
    case 'CREATED':
      return 'created';
    case 'RUNNING':
      return 'running';
    case 'STOPPING':
      return 'stopping';
    case 'STOPPED':
      return 'stopped';
  }
}

const time = (iso: string | undefined): number | undefined => {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
};

/** Segments from a phase history; consecutive equal kinds merge; the last one runs to `end`. */
export function phaseSegments(
  phases: readonly { readonly at: string; readonly phase: ContainerPhase; readonly detail?: string }[],
  end: number,
  exitCode?: number,
): Segment[] {
  const out: Segment[] = [];
  const points = phases
    .map((p) => ({ at: time(p.at), kind: kindOf(p.phase), detail: p.detail }))
    .filter((p): p is { at: number; kind: SegmentKind; detail: string | undefined } => p.at !== undefined);
  points.forEach((p, i) => {
    const next = points[i + 1];
    const segEnd = Math.max(p.at, next ? next.at : end);
    const last = out[out.length - 1];
    if (last && last.kind === p.kind) {
      out[out.length - 1] = { ...last, end: segEnd };
      return;
    }
    const label =
      p.kind === 'stopped' ? `stopped${exitCode !== undefined ? ` (exit ${exitCode})` : ''}` : p.kind;
    out.push({ kind: p.kind, start: p.at, end: segEnd, label, ...(p.detail ? { detail: p.detail } : {}) });
  });
  return out;
}

/** The whole timeline of `task` as of `now` (ms). */
export function buildTimeline(
  task: TaskDetail,
  probes: Readonly<Record<string, readonly HealthProbe[]>>,
  def: TaskDefinitionView | null | undefined,
  now: number,
): TimelineModel {
  const start = time(task.createdAt) ?? now;
  const end = Math.max(start + 1000, time(task.stoppedAt) ?? now);
  const rows = task.containers.map((c, declared) => {
    const segments = phaseSegments(c.phases, end, c.exitCode);
    const started = time(c.startedAt) ?? segments.find((s) => s.kind === 'running')?.start;
    const finished = time(c.finishedAt) ?? segments.find((s) => s.kind === 'stopped')?.start;
    const check = def?.containers.find((d) => d.name === c.name)?.healthCheck;
    const health =
      started !== undefined && check
        ? healthBands(
            probeMarks(probes[c.name] ?? [], started, check),
            started,
            finished ?? end,
            check.retries,
            {
              status: c.healthStatus,
              ...(time(c.healthSince) !== undefined ? { since: time(c.healthSince)! } : {}),
            },
          )
        : [];
    const markers: Marker[] = c.dependencies.flatMap((d) => {
      const at = time(d.at);
      if (at === undefined || d.state === 'waiting') return [];
      return [
        d.state === 'met'
          ? {
              kind: 'released' as const,
              at,
              label: `${d.containerName} ${d.condition} met → ${c.name} released`,
            }
          : {
              kind: 'dependency-failed' as const,
              at,
              label: `${d.containerName} ${d.condition} failed: ${d.detail}`,
            },
      ];
    });
    return {
      row: {
        container: c.name,
        essential: c.essential,
        segments,
        health,
        markers,
        ...(started !== undefined ? { startedAt: started } : {}),
      },
      declared,
    };
  });
  rows.sort(
    (a, b) => (a.row.startedAt ?? Infinity) - (b.row.startedAt ?? Infinity) || a.declared - b.declared,
  );
  const markers: Marker[] = [];
  const requested = time(task.stopRequestedAt);
  if (requested !== undefined) {
    markers.push({
      kind: 'stop-requested',
      at: requested,
      label: `Stop requested${task.stoppedReason ? `: ${task.stoppedReason}` : ''}`,
    });
  }
  const stopping = time(task.stoppingAt);
  if (stopping !== undefined) markers.push({ kind: 'stopping', at: stopping, label: 'Task stopping' });
  return { start, end, rows: rows.map((r) => r.row), markers };
}

/** Evenly spaced axis ticks (ms offsets from start) for a span, about `count` of them. */
export function axisTicks(spanMs: number, count: number): number[] {
  const steps = [
    100, 250, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000,
    3_600_000,
  ];
  const want = spanMs / Math.max(1, count);
  const step = steps.find((s) => s >= want) ?? steps[steps.length - 1]!;
  const out: number[] = [];
  for (let t = 0; t <= spanMs; t += step) out.push(t);
  return out;
}
