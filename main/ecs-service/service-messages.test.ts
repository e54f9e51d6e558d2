import { describe, expect, it } from 'vitest';
import type { TargetGroupView, TargetHealthCheckView } from '../../contract/service-dto.js';
import { checkSummary, messages, newDeploymentId } from './service-messages.js';

const check = (ok: boolean, statusCode?: number, error?: string): TargetHealthCheckView => ({
  at: '2026-01-01T00:00:00Z',
  latencyMs: 1,
  ok,
  ...(statusCode !== undefined ? { statusCode } : {}),
  ...(error ? { error } : {}),
});
const group = (
  checks: TargetHealthCheckView[],
  state: 'initial' | 'unhealthy' = 'unhealthy',
): TargetGroupView => ({
  targetGroupArn: 'arn',
  targetGroupName: 'g',
  protocol: 'HTTP',
  port: 80,
  targetType: 'ip',
  healthCheckPath: '/health',
  healthCheckIntervalSeconds: 5,
  healthCheckTimeoutSeconds: 2,
  healthyThresholdCount: 5,
  unhealthyThresholdCount: 2,
  matcher: '200',
  deregistrationDelaySeconds: 0,
  targets: [
    {
      id: '10.0.0.2:80',
      host: '10.0.0.2',
      port: 80,
      taskId: 't1',
      containerName: 'web',
      state,
      registeredAt: '',
      inFlightRequests: 0,
      checks,
      history: [],
    },
  ],
});

describe('checkSummary', () => {
  it.each<[string, TargetHealthCheckView[], string | undefined]>([
    [
      'unhealthy after two 500s',
      [check(true, 200), check(false, 500), check(false, 500)],
      'GET /health → 500, 2 of 2 unhealthy checks',
    ],
    [
      'a run longer than the threshold is capped',
      [check(false, 500), check(false, 500), check(false, 500)],
      'GET /health → 500, 2 of 2 unhealthy checks',
    ],
    [
      'a timeout names the error',
      [check(false, undefined, 'timeout after 2 s')],
      'GET /health → timeout after 2 s, 1 of 2 unhealthy checks',
    ],
    [
      'passing checks count toward the healthy threshold',
      [check(false, 500), check(true, 200)],
      'GET /health → 200, 1 of 5 healthy checks',
    ],
    ['no checks yet', [], undefined],
  ])('%s', (_n, checks, expected) => {
    expect(checkSummary(group(checks), 't1')).toBe(expected);
  });
});

describe('messages (ECS wording)', () => {
  it('formats service events as ECS writes them', () => {
    expect(messages.started('web', ['a', 'b'])).toBe('(service web) has started 2 tasks: (task a) (task b).');
    expect(messages.stopped('web', ['a'])).toBe('(service web) has stopped 1 running tasks: (task a).');
    expect(messages.unhealthy('web', 8080, 'tg', 'Health checks failed with these codes: [500]')).toBe(
      '(service web) (port 8080) is unhealthy in (target-group tg) due to (reason Health checks failed with these codes: [500]).',
    );
    expect(messages.steady('web')).toBe('(service web) has reached a steady state.');
  });

  it('names deployments ecs-svc/ and 19 digits', () => {
    expect(newDeploymentId()).toMatch(/^ecs-svc\/[1-9]\d{18}$/);
  });
});
