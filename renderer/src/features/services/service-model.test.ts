import { describe, expect, it } from 'vitest';
import {
  defaultRevisionChoice,
  eventsNewestFirst,
  isSteady,
  parseDefinitionRef,
  revisionChoices,
  serviceCounts,
  waitingLine,
} from './service-model.js';
import { issuesFor, serviceExample, targetGroupNameFor } from './service-examples.js';
import { deployment, service } from './service-view-fixtures.js';

describe('service counts and waiting', () => {
  it('adds failed tasks over deployments and counts old tasks still serving', () => {
    const s = service({
      desiredCount: 2,
      runningCount: 3,
      pendingCount: 1,
      deployments: [
        deployment({ id: 'new', failedTasks: 1, runningCount: 1, rolloutState: 'IN_PROGRESS' }),
        deployment({ id: 'old', status: 'ACTIVE', failedTasks: 2, runningCount: 2 }),
      ],
    });
    expect(serviceCounts(s)).toEqual({ desired: 2, running: 3, pending: 1, failed: 3, oldRunning: 2 });
    expect(isSteady(s)).toBe(false);
  });

  it('is steady with one completed deployment and every task running', () => {
    expect(isSteady(service())).toBe(true);
    expect(waitingLine(service())).toBeUndefined();
  });

  it("prefers the deployment's own words, then says what is missing", () => {
    const waiting = 'new task unhealthy: GET /health → 500, 2 of 3 unhealthy checks';
    expect(
      waitingLine(
        service({ deployments: [deployment({ rolloutState: 'IN_PROGRESS', waitingFor: waiting })] }),
      ),
    ).toBe(waiting);
    expect(waitingLine(service({ desiredCount: 3, runningCount: 1 }))).toBe('2 more tasks to start');
    expect(waitingLine(service({ desiredCount: 1, runningCount: 2 }))).toBe('1 task to stop');
    expect(
      waitingLine(
        service({
          deployments: [deployment({ rolloutState: 'FAILED', rolloutStateReason: 'circuit breaker' })],
        }),
      ),
    ).toBe('Deployment failed: circuit breaker');
    expect(waitingLine(service({ status: 'DRAINING' }))).toMatch(/^Deleting/);
  });

  it('lists events newest first', () => {
    const events = [
      { id: 'a', createdAt: '2026-01-01T00:00:01Z', message: 'one' },
      { id: 'b', createdAt: '2026-01-01T00:00:03Z', message: 'three' },
      { id: 'c', createdAt: '2026-01-01T00:00:02Z', message: 'two' },
    ];
    expect(eventsNewestFirst(events).map((e) => e.message)).toEqual(['three', 'two', 'one']);
  });
});

describe('revisions', () => {
  it('reads family and revision from ARNs and refs', () => {
    expect(parseDefinitionRef('arn:aws:ecs:us-east-1:000000000000:task-definition/web:12')).toEqual({
      family: 'web',
      revision: 12,
    });
    expect(parseDefinitionRef('web')).toEqual({ family: 'web' });
  });

  it('offers valid same-family revisions, newest first, marking the current one', () => {
    const choices = revisionChoices('web:2', [
      { id: 'a', family: 'web', revision: 1, valid: true },
      { id: 'b', family: 'web', revision: 3, valid: true },
      { id: 'c', family: 'web', revision: 2, valid: true },
      { id: 'd', family: 'web', revision: 3, valid: true },
      { id: 'e', family: 'other', revision: 4, valid: true },
      { id: 'f', family: 'web', revision: 5, valid: false },
    ]);
    expect(choices.map((c) => [c.definitionId, c.revision, c.current])).toEqual([
      ['b', 3, false],
      ['c', 2, true],
      ['a', 1, false],
    ]);
  });

  it('after a rollback the failed revision is marked and not offered first; an older one is', () => {
    const defs = [1, 2, 3].map((revision) => ({ id: `r${revision}`, family: 'web', revision, valid: true }));
    const afterRollback = revisionChoices('web:1', defs, [
      'arn:aws:ecs:us-east-1:000000000000:task-definition/web:3',
      'other:2',
    ]);
    expect(afterRollback.map((c) => [c.revision, c.current, c.failed])).toEqual([
      [3, false, true],
      [2, false, false],
      [1, true, false],
    ]);
    expect(defaultRevisionChoice(afterRollback)?.revision).toBe(2);
    // Only the failed one newer than the current: nothing is offered until the user picks.
    expect(defaultRevisionChoice(revisionChoices('web:2', defs.slice(1), ['web:3']))).toBeUndefined();
    // Nothing failed: the newest other revision, as before.
    expect(defaultRevisionChoice(revisionChoices('web:1', defs))?.revision).toBe(3);
  });
});

describe('create-service example', () => {
  const def = {
    family: 'my_web.app',
    revision: 4,
    networkMode: 'bridge',
    containers: [
      { name: 'side', portMappings: [] },
      { name: 'web', portMappings: [{ containerPort: 8080, protocol: 'tcp' }] },
    ],
  } as unknown as Parameters<typeof serviceExample>[0];

  it('points the service at the first mapped port and the group at a 5 s check', () => {
    const example = serviceExample(def);
    const svc = JSON.parse(example?.serviceText ?? '{}') as Record<string, unknown>;
    const tg = JSON.parse(example?.targetGroupText ?? '{}') as Record<string, unknown>;
    expect(svc['taskDefinition']).toBe('my_web.app:4');
    expect(svc['serviceName']).toBe('my_web-app');
    expect(svc['loadBalancers']).toEqual([
      { targetGroupArn: 'my-web-app-tg', containerName: 'web', containerPort: 8080 },
    ]);
    expect(tg).toMatchObject({
      Name: 'my-web-app-tg',
      HealthCheckIntervalSeconds: 5,
      TargetType: 'instance',
    });
    expect(targetGroupNameFor('x'.repeat(40))).toHaveLength(32);
  });

  it('has no example without a port, and splits issues per document', () => {
    expect(serviceExample({ ...def, containers: [] } as typeof def)).toBeUndefined();
    const issues = [
      { path: 'service.loadBalancers[0].containerPort', message: 'a' },
      { path: 'targetGroups[1].Port', message: 'b' },
      { path: 'targetGroups[10].Port', message: 'c' },
      { path: 'service', message: 'd' },
      { path: 'listen.x', message: 'e' },
    ];
    expect(issuesFor(issues, 'service').map((i) => i.path)).toEqual(['loadBalancers[0].containerPort', '']);
    expect(issuesFor(issues, 1).map((i) => i.path)).toEqual(['Port']);
  });
});
