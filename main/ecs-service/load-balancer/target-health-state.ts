/**
 * A target's health as elbv2 reports it (DescribeTargetHealth State/Reason/Description), as a pure
 * state machine: (status, input, thresholds) → status. No timers, no I/O.
 *
 * Rules (Application Load Balancer user guide, "Health checks for Application Load Balancer target
 * groups" and the TargetHealth API reference):
 * - RegisterTargets → `initial` / Elb.RegistrationInProgress; when the first check is sent →
 *   `initial` / Elb.InitialHealthChecking.
 * - "After your target is registered, it must pass one health check to be considered healthy":
 *   from `initial`, ONE passing check makes it `healthy` (not HealthyThresholdCount). Failing
 *   checks in `initial` make it `unhealthy` after UnhealthyThresholdCount consecutive failures.
 * - `healthy` → `unhealthy` after UnhealthyThresholdCount consecutive failures; `unhealthy` →
 *   `healthy` after HealthyThresholdCount consecutive passes. A pass resets the failure run and
 *   vice versa.
 * - Reasons for failures: a code outside the matcher → Target.ResponseCodeMismatch ("Health
 *   checks failed with these codes: [500]"); no answer within the timeout → Target.Timeout
 *   ("Request timed out"); a connection error → Target.FailedHealthChecks ("Health checks failed").
 *   While `unhealthy`, reason and description follow the latest failure.
 * - DeregisterTargets → `draining` / Target.DeregistrationInProgress (checks stop; results that
 *   arrive later are ignored); after the delay → `unused` / Target.NotRegistered.
 */
import type { TargetHealthReason, TargetHealthState } from '../../../contract/service-dto.js';

/** The health-check outcome the state machine consumes. */
export type HealthCheckOutcome =
  | { readonly kind: 'pass'; readonly statusCode: number }
  | { readonly kind: 'mismatch'; readonly statusCode: number }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'connection'; readonly error: string };

/** What can happen to a target. */
export type TargetHealthInput =
  | { readonly type: 'checkStarted' }
  | { readonly type: 'checkResult'; readonly outcome: HealthCheckOutcome }
  | { readonly type: 'deregister' }
  | { readonly type: 'removed' };

/** The thresholds of the target group. */
export interface HealthThresholds {
  readonly healthyThresholdCount: number;
  readonly unhealthyThresholdCount: number;
}

/** A target's health plus the consecutive-result counters that drive it. */
export interface TargetHealthStatus {
  readonly state: TargetHealthState;
  readonly reason?: TargetHealthReason;
  readonly description?: string;
  /** Consecutive passing checks (reset by a failure). */
  readonly passes: number;
  /** Consecutive failing checks (reset by a pass). */
  readonly failures: number;
}

/** elbv2's descriptions for the reasons a local load balancer produces. */
export const REASON_DESCRIPTIONS = {
  'Elb.RegistrationInProgress': 'Target registration is in progress',
  'Elb.InitialHealthChecking': 'Initial health checking in progress',
  'Target.Timeout': 'Request timed out',
  'Target.FailedHealthChecks': 'Health checks failed',
  'Target.DeregistrationInProgress': 'Target deregistration is in progress',
  'Target.NotRegistered': 'Target is not registered to the target group',
} as const satisfies Partial<Record<TargetHealthReason, string>>;

/** The status right after RegisterTargets. */
export function registeredStatus(): TargetHealthStatus {
  return {
    state: 'initial',
    reason: 'Elb.RegistrationInProgress',
    description: REASON_DESCRIPTIONS['Elb.RegistrationInProgress'],
    passes: 0,
    failures: 0,
  };
}

/** The elbv2 reason and description of a failed check. */
export function failureReason(outcome: Exclude<HealthCheckOutcome, { kind: 'pass' }>): {
  readonly reason: TargetHealthReason;
  readonly description: string;
} {
  switch (outcome.kind) {
    case 'mismatch':
      return {
        reason: 'Target.ResponseCodeMismatch',
        description: `Health checks failed with these codes: [${outcome.statusCode}]`,
      };
    case 'timeout':
      return { reason: 'Target.Timeout', description: REASON_DESCRIPTIONS['Target.Timeout'] };
    case 'connection':
      return {
        reason: 'Target.FailedHealthChecks',
        description: REASON_DESCRIPTIONS['Target.FailedHealthChecks'],
      };
  }
}

const healthy = (passes: number): TargetHealthStatus => ({ state: 'healthy', passes, failures: 0 });

/** The next status after `input`. Returns `status` itself when nothing changes. */
export function nextTargetHealth(
  status: TargetHealthStatus,
  input: TargetHealthInput,
  thresholds: HealthThresholds,
): TargetHealthStatus {
  if (status.state === 'unused') return status;
  switch (input.type) {
    case 'deregister':
      if (status.state === 'draining') return status;
      return {
        state: 'draining',
        reason: 'Target.DeregistrationInProgress',
        description: REASON_DESCRIPTIONS['Target.DeregistrationInProgress'],
        passes: 0,
        failures: 0,
      };
    case 'removed':
      return {
        state: 'unused',
        reason: 'Target.NotRegistered',
        description: REASON_DESCRIPTIONS['Target.NotRegistered'],
        passes: 0,
        failures: 0,
      };
    case 'checkStarted':
      if (status.state !== 'initial' || status.reason === 'Elb.InitialHealthChecking') return status;
      return {
        ...status,
        reason: 'Elb.InitialHealthChecking',
        description: REASON_DESCRIPTIONS['Elb.InitialHealthChecking'],
      };
    case 'checkResult':
      return afterCheck(status, input.outcome, thresholds);
  }
}

function afterCheck(
  status: TargetHealthStatus,
  outcome: HealthCheckOutcome,
  thresholds: HealthThresholds,
): TargetHealthStatus {
  if (status.state === 'draining' || status.state === 'unavailable' || status.state === 'unused')
    return status;
  if (outcome.kind === 'pass') {
    const passes = status.passes + 1;
    switch (status.state) {
      case 'initial':
        return healthy(passes); // one pass suffices for a newly registered target
      case 'healthy':
        return healthy(passes);
      case 'unhealthy':
        return passes >= thresholds.healthyThresholdCount
          ? healthy(passes)
          : { ...status, passes, failures: 0 };
    }
  }
  const failures = status.failures + 1;
  const why = failureReason(outcome);
  if (status.state === 'unhealthy') return { ...status, ...why, passes: 0, failures };
  if (failures >= thresholds.unhealthyThresholdCount) {
    return { state: 'unhealthy', ...why, passes: 0, failures };
  }
  return { ...status, passes: 0, failures };
}

/** Whether the change from `a` to `b` is one elbv2 shows (state or reason), i.e. worth an event. */
export function isReportedChange(a: TargetHealthStatus | undefined, b: TargetHealthStatus): boolean {
  return a === undefined || a.state !== b.state || a.reason !== b.reason;
}
