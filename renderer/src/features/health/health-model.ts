/**
 * Health view-model (pure): probe marks, health-state bands reconstructed from every probe the
 * way Docker counts them (retries, startPeriod), and the task-level health from essential
 * containers (ECS: UNHEALTHY if any is, else UNKNOWN if any is, else HEALTHY).
 */
import type { ContainerDetail, HealthProbe, HealthStatus } from '../../../../contract/dto.js';

export interface HealthCheckConfig {
  readonly command: readonly string[];
  readonly interval: number;
  readonly timeout: number;
  readonly retries: number;
  readonly startPeriod: number;
}

/** One probe as drawn: a tick at `at` lasting `durationMs`. */
export interface ProbeMark {
  readonly at: number;
  readonly durationMs: number;
  readonly exitCode: number;
  readonly ok: boolean;
  readonly output: string;
  /** Failed inside startPeriod: does not count towards retries. */
  readonly grace: boolean;
}

export type BandState = 'starting' | 'healthy' | 'unhealthy';

export interface HealthBand {
  readonly state: BandState;
  readonly start: number;
  readonly end: number;
}

/** Probe marks, oldest first; unparseable times are dropped. */
export function probeMarks(
  probes: readonly HealthProbe[],
  startedAt: number | undefined,
  config: HealthCheckConfig | undefined,
): ProbeMark[] {
  const graceUntil = startedAt !== undefined && config ? startedAt + config.startPeriod * 1000 : -Infinity;
  return probes
    .map((p) => {
      const at = Date.parse(p.start);
      const end = Date.parse(p.end);
      return {
        at,
        durationMs: Number.isFinite(end) ? Math.max(0, end - at) : 0,
        exitCode: p.exitCode,
        ok: p.exitCode === 0,
        output: p.output,
        grace: p.exitCode !== 0 && at < graceUntil,
      };
    })
    .filter((m) => Number.isFinite(m.at))
    .sort((a, b) => a.at - b.at);
}

/**
 * Health bands from `from` (container start) to `to`: starting until the first success or until
 * `retries` consecutive counted failures; a success makes it healthy, `retries` failures in a row
 * unhealthy. When the engine's current status disagrees with the last band (probes not fetched
 * yet), the engine wins from `healthSince`.
 */
export function healthBands(
  marks: readonly ProbeMark[],
  from: number,
  to: number,
  retries: number,
  current?: { readonly status: HealthStatus; readonly since?: number },
): HealthBand[] {
  const bands: HealthBand[] = [];
  let state: BandState = 'starting';
  let start = from;
  let failures = 0;
  const move = (next: BandState, at: number): void => {
    if (next === state) return;
    if (at > start) bands.push({ state, start, end: at });
    state = next;
    start = Math.max(start, at);
  };
  for (const m of marks) {
    if (m.at > to) break;
    const at = Math.min(to, m.at + m.durationMs);
    if (m.ok) {
      failures = 0;
      move('healthy', at);
    } else if (!m.grace) {
      failures++;
      if (failures >= Math.max(1, retries)) move('unhealthy', at);
    }
  }
  if (current && current.status !== 'UNKNOWN') {
    const want: BandState = current.status === 'HEALTHY' ? 'healthy' : 'unhealthy';
    if (want !== (state as BandState)) move(want, Math.min(to, Math.max(start, current.since ?? start)));
  }
  if (to > start) bands.push({ state, start, end: to });
  return bands;
}

/** ECS task health from its essential containers. */
export function taskHealth(
  containers: readonly Pick<ContainerDetail, 'essential' | 'healthStatus'>[],
): HealthStatus {
  const essential = containers.filter((c) => c.essential);
  if (essential.some((c) => c.healthStatus === 'UNHEALTHY')) return 'UNHEALTHY';
  if (essential.some((c) => c.healthStatus === 'UNKNOWN')) return 'UNKNOWN';
  return 'HEALTHY';
}

/** "CMD-SHELL curl -f …" as one readable line. */
export function describeCommand(command: readonly string[]): string {
  const [kind, ...rest] = command;
  if (kind === 'CMD-SHELL') return rest.join(' ');
  if (kind === 'CMD') return rest.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
  return command.join(' ');
}
