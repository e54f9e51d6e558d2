import { describe, expect, it } from 'vitest';
import {
  isReportedChange,
  nextTargetHealth,
  registeredStatus,
  type HealthCheckOutcome,
  type TargetHealthInput,
  type TargetHealthStatus,
} from './target-health-state.js';

const thresholds = { healthyThresholdCount: 3, unhealthyThresholdCount: 2 };
const pass: TargetHealthInput = { type: 'checkResult', outcome: { kind: 'pass', statusCode: 200 } };
const check = (outcome: HealthCheckOutcome): TargetHealthInput => ({ type: 'checkResult', outcome });
const code500 = check({ kind: 'mismatch', statusCode: 500 });
const timeout = check({ kind: 'timeout' });
const refused = check({ kind: 'connection', error: 'ECONNREFUSED' });
const started: TargetHealthInput = { type: 'checkStarted' };

/** Runs inputs from registration and returns every status (state/reason/description). */
function run(inputs: readonly TargetHealthInput[]): TargetHealthStatus {
  return inputs.reduce((s, i) => nextTargetHealth(s, i, thresholds), registeredStatus());
}
const view = (s: TargetHealthStatus) => [s.state, s.reason, s.description];

describe('nextTargetHealth', () => {
  it.each<[string, TargetHealthInput[], (string | undefined)[]]>([
    ['registered', [], ['initial', 'Elb.RegistrationInProgress', 'Target registration is in progress']],
    [
      'first check sent',
      [started],
      ['initial', 'Elb.InitialHealthChecking', 'Initial health checking in progress'],
    ],
    [
      'initial + ONE pass is healthy (ALB: one passing check)',
      [started, pass],
      ['healthy', undefined, undefined],
    ],
    [
      'initial + one failure stays initial',
      [started, code500],
      ['initial', 'Elb.InitialHealthChecking', 'Initial health checking in progress'],
    ],
    [
      'initial + unhealthyThreshold failures',
      [started, code500, code500],
      ['unhealthy', 'Target.ResponseCodeMismatch', 'Health checks failed with these codes: [500]'],
    ],
    ['healthy + one failure stays healthy', [pass, code500], ['healthy', undefined, undefined]],
    [
      'healthy + 2 failures is unhealthy (timeout)',
      [pass, timeout, timeout],
      ['unhealthy', 'Target.Timeout', 'Request timed out'],
    ],
    [
      'connection errors are FailedHealthChecks',
      [pass, refused, refused],
      ['unhealthy', 'Target.FailedHealthChecks', 'Health checks failed'],
    ],
    ['failures not consecutive', [pass, code500, pass, code500], ['healthy', undefined, undefined]],
    [
      'unhealthy reason follows the latest failure',
      [pass, code500, code500, timeout],
      ['unhealthy', 'Target.Timeout', 'Request timed out'],
    ],
    [
      'unhealthy needs healthyThreshold passes (2 of 3)',
      [pass, code500, code500, pass, pass],
      ['unhealthy', 'Target.ResponseCodeMismatch', 'Health checks failed with these codes: [500]'],
    ],
    [
      'unhealthy + 3 passes is healthy',
      [pass, code500, code500, pass, pass, pass],
      ['healthy', undefined, undefined],
    ],
    [
      'a failure resets the pass run',
      [pass, code500, code500, pass, pass, code500, pass, pass],
      ['unhealthy', 'Target.ResponseCodeMismatch', 'Health checks failed with these codes: [500]'],
    ],
    [
      'deregister drains',
      [pass, { type: 'deregister' }],
      ['draining', 'Target.DeregistrationInProgress', 'Target deregistration is in progress'],
    ],
    [
      'checks after deregister are ignored',
      [pass, { type: 'deregister' }, code500, code500, pass],
      ['draining', 'Target.DeregistrationInProgress', 'Target deregistration is in progress'],
    ],
    [
      'removed is unused',
      [pass, { type: 'deregister' }, { type: 'removed' }],
      ['unused', 'Target.NotRegistered', 'Target is not registered to the target group'],
    ],
    [
      'unused is final',
      [{ type: 'deregister' }, { type: 'removed' }, pass, { type: 'deregister' }],
      ['unused', 'Target.NotRegistered', 'Target is not registered to the target group'],
    ],
  ])('%s', (_name, inputs, expected) => {
    expect(view(run(inputs))).toEqual(expected);
  });

  it('returns the same object when nothing changes (no spurious events)', () => {
    const s = run([started]);
    expect(nextTargetHealth(s, started, thresholds)).toBe(s);
    const d = run([{ type: 'deregister' }]);
    expect(nextTargetHealth(d, { type: 'deregister' }, thresholds)).toBe(d);
  });
});

describe('isReportedChange', () => {
  it.each<[string, TargetHealthInput[], TargetHealthInput, boolean]>([
    ['registration', [], started, true],
    ['healthy stays healthy', [pass], pass, false],
    ['first failure while healthy', [pass], code500, false],
    ['threshold crossed', [pass, code500], code500, true],
    ['unhealthy reason changes', [pass, code500, code500], timeout, true],
    ['same unhealthy reason', [pass, code500, code500], code500, false],
  ])('%s → %s', (_name, before, input, expected) => {
    const a = run(before);
    expect(isReportedChange(a, nextTargetHealth(a, input, thresholds))).toBe(expected);
  });
  it('first status is always reported', () => {
    expect(isReportedChange(undefined, registeredStatus())).toBe(true);
  });
});
