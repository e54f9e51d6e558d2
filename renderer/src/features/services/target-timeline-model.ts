/**
 * Target-health timeline view-model (pure): per target, state bands from its history (initial →
 * healthy/unhealthy → draining), every load-balancer health check as a mark, and the draining
 * countdown. Same drawing model as the container health timeline (features/health).
 */
import type { TargetHealthState, TargetView } from '../../../../contract/service-dto.js';

export interface TargetBand {
  readonly state: TargetHealthState;
  readonly start: number;
  readonly end: number;
  readonly reason?: string;
  readonly description?: string;
}

export interface CheckMark {
  readonly at: number;
  readonly ok: boolean;
  readonly statusCode?: number;
  readonly latencyMs: number;
  readonly error?: string;
}

/** CSS class of a band: reuses the health timeline's colours, adds draining/unused. */
export function bandClass(state: TargetHealthState): string {
  switch (state) {
    case 'healthy':
      return 'band-healthy';
    case 'unhealthy':
      return 'band-unhealthy';
    case 'initial':
      return 'band-starting';
    case 'draining':
      return 'band-draining';
    default:
      return 'band-unused';
  }
}

/** Bands from the state history, oldest first; the last one runs to `end`. */
export function targetBands(target: TargetView, end: number): TargetBand[] {
  const history = target.history
    .map((h) => ({ ...h, t: Date.parse(h.at) }))
    .filter((h) => Number.isFinite(h.t))
    .sort((a, b) => a.t - b.t);
  if (history.length === 0) {
    const start = Date.parse(target.registeredAt);
    return Number.isFinite(start) ? [{ state: target.state, start, end: Math.max(start, end) }] : [];
  }
  return history.map((h, i) => {
    const next = history[i + 1];
    return {
      state: h.state,
      start: h.t,
      end: Math.max(h.t, next ? next.t : end),
      ...(h.reason !== undefined ? { reason: h.reason } : {}),
      ...(h.description !== undefined ? { description: h.description } : {}),
    };
  });
}

export function checkMarks(target: TargetView): CheckMark[] {
  return target.checks
    .map((c) => ({
      at: Date.parse(c.at),
      ok: c.ok,
      latencyMs: c.latencyMs,
      ...(c.statusCode !== undefined ? { statusCode: c.statusCode } : {}),
      ...(c.error !== undefined ? { error: c.error } : {}),
    }))
    .filter((m) => Number.isFinite(m.at))
    .sort((a, b) => a.at - b.at);
}

/** The common time axis of a group's targets: first registration to now (or the last check), plus 3 %. */
export function timelineWindow(targets: readonly TargetView[], now: number): { start: number; end: number } {
  const starts = targets.map((t) => Date.parse(t.registeredAt)).filter(Number.isFinite);
  const lastCheck = targets.flatMap((t) => t.checks.map((c) => Date.parse(c.at))).filter(Number.isFinite);
  const lastChange = targets.flatMap((t) => t.history.map((h) => Date.parse(h.at))).filter(Number.isFinite);
  const start = starts.length ? Math.min(...starts) : now;
  const last = Math.max(start + 1000, now, ...lastCheck, ...lastChange);
  // A little room on the right: the newest check and state change stay visible, not on the edge.
  return { start, end: last + (last - start) * 0.03 };
}

/** Seconds of draining left (whole, never negative), or undefined when the target is not draining. */
export function drainingSecondsLeft(target: TargetView, now: number): number | undefined {
  if (target.state !== 'draining' || target.drainingUntil === undefined) return undefined;
  const until = Date.parse(target.drainingUntil);
  if (!Number.isFinite(until)) return undefined;
  return Math.max(0, Math.ceil((until - now) / 1000));
}

/** "200 · 3 ms", "timeout after 5 s · 5002 ms". */
export function describeCheck(mark: CheckMark): string {
  const what = mark.statusCode !== undefined ? `HTTP ${mark.statusCode}` : (mark.error ?? 'no response');
  return `${what} · ${Math.round(mark.latencyMs)} ms`;
}

/** Percent position of `t` on [start, end], clamped to the track. */
export function position(t: number, start: number, end: number): number {
  if (end <= start) return 0;
  return Math.min(100, Math.max(0, ((t - start) / (end - start)) * 100));
}
