/**
 * One registered target: its health (driven by target-health-state.ts), its own health-check
 * timer (the next check is scheduled when the previous one ends, one interval after it started,
 * as ELB's "each health check request is independent and lasts the entire interval"), its
 * upstream keep-alive agent, in-flight count and bounded check/state history. Only mutator of
 * its own fields; the load balancer asks it to start, drain and stop.
 */
import { Agent } from 'node:http';
import type { TargetHealthCheckView, TargetView } from '../../../contract/service-dto.js';
import type { TargetRef } from '../load-balancer-api.js';
import { runHealthCheck } from './health-check-request.js';
import type { HttpCodeMatcher } from './http-code-matcher.js';
import type { LbTimers, TimerHandle } from './lb-timers.js';
import {
  isReportedChange,
  nextTargetHealth,
  registeredStatus,
  type HealthThresholds,
  type TargetHealthInput,
  type TargetHealthStatus,
} from './target-health-state.js';

/** Checks kept per target (newest last). */
export const MAX_CHECKS_PER_TARGET = 500;
/** State changes kept per target (oldest dropped first). */
export const MAX_HISTORY_PER_TARGET = 200;

/** How this target is checked. */
export interface TargetCheckSettings extends HealthThresholds {
  readonly path: string;
  /** Absent: the traffic port. */
  readonly port?: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly matcher: HttpCodeMatcher;
}

type HistoryEntry = TargetView['history'][number];

/** A target and everything the load balancer knows about it. */
export class TargetRuntime {
  readonly agent = new Agent({ keepAlive: true });
  readonly registeredAt: string;
  private status: TargetHealthStatus = registeredStatus();
  private readonly checks: TargetHealthCheckView[] = [];
  private readonly history: HistoryEntry[] = [];
  private timer: TimerHandle | undefined;
  private checkAbort: AbortController | undefined;
  private stopped = false;
  private inFlight = 0;
  private drainingUntilMs: number | undefined;

  constructor(
    readonly ref: TargetRef,
    private readonly settings: TargetCheckSettings,
    private readonly timers: LbTimers,
    private readonly report: (status: TargetHealthStatus, previous: TargetHealthStatus | undefined) => void,
    private readonly onCheck: (check: TargetHealthCheckView) => void = () => undefined,
  ) {
    this.registeredAt = new Date(timers.now()).toISOString();
  }

  /** The current elbv2 state. */
  get state(): TargetHealthStatus['state'] {
    return this.status.state;
  }

  /** Reports the registration, then starts health checking: the first check is sent at once, not after a full interval. */
  start(): void {
    this.record(undefined, this.status);
    this.schedule(0);
  }

  /** A request was routed here; call the returned function once when it ends. */
  beginRequest(): () => void {
    this.inFlight += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight -= 1;
    };
  }

  /** DeregisterTargets: draining at once, no more checks; `until` is when the delay ends. */
  drain(delayMs: number): void {
    this.stopChecks();
    this.drainingUntilMs = this.timers.now() + delayMs;
    this.apply({ type: 'deregister' });
  }

  /** The delay is over (or the group is going away): unused, and every resource released. */
  remove(): void {
    this.stopChecks();
    this.drainingUntilMs = undefined;
    this.apply({ type: 'removed' });
    this.agent.destroy();
  }

  /** The target as DescribeTargetHealth plus Taskdeck's timeline. */
  view(): TargetView {
    const { host, port, taskId, containerName } = this.ref;
    return {
      id: `${host}:${port}`,
      host,
      port,
      taskId,
      containerName,
      state: this.status.state,
      ...(this.status.reason === undefined ? {} : { reason: this.status.reason }),
      ...(this.status.description === undefined ? {} : { description: this.status.description }),
      registeredAt: this.registeredAt,
      ...(this.drainingUntilMs === undefined
        ? {}
        : { drainingUntil: new Date(this.drainingUntilMs).toISOString() }),
      inFlightRequests: this.inFlight,
      checks: [...this.checks],
      history: [...this.history],
    };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.check().catch(() => undefined); // runHealthCheck never rejects; belt and braces
    }, delayMs);
  }

  private async check(): Promise<void> {
    if (this.stopped) return;
    const startedAt = this.timers.now();
    this.apply({ type: 'checkStarted' });
    const abort = new AbortController();
    this.checkAbort = abort;
    const result = await runHealthCheck(
      {
        host: this.ref.host,
        port: this.settings.port ?? this.ref.port,
        path: this.settings.path,
        timeoutMs: this.settings.timeoutMs,
        matcher: this.settings.matcher,
      },
      abort.signal,
    );
    this.checkAbort = undefined;
    if (this.stopped) return;
    const check: TargetHealthCheckView = {
      at: new Date(startedAt).toISOString(),
      ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
      latencyMs: result.latencyMs,
      ok: result.outcome.kind === 'pass',
      ...(result.error === undefined ? {} : { error: result.error }),
    };
    this.checks.push(check);
    if (this.checks.length > MAX_CHECKS_PER_TARGET) this.checks.shift();
    this.apply({ type: 'checkResult', outcome: result.outcome });
    this.onCheck(check);
    this.schedule(Math.max(0, startedAt + this.settings.intervalMs - this.timers.now()));
  }

  private stopChecks(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.checkAbort?.abort();
    this.checkAbort = undefined;
  }

  private apply(input: TargetHealthInput): void {
    const previous = this.status;
    const next = nextTargetHealth(previous, input, this.settings);
    if (next === previous) return;
    this.status = next;
    if (isReportedChange(previous, next)) this.record(previous, next);
  }

  private record(previous: TargetHealthStatus | undefined, next: TargetHealthStatus): void {
    this.history.push({
      at: new Date(this.timers.now()).toISOString(),
      state: next.state,
      ...(next.reason === undefined ? {} : { reason: next.reason }),
      ...(next.description === undefined ? {} : { description: next.description }),
    });
    if (this.history.length > MAX_HISTORY_PER_TARGET) this.history.shift();
    this.report(next, previous);
  }
}
