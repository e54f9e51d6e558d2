import { describe, expect, it } from 'vitest';
import { container, taskDef } from '../test-support/task-def-builders.js';
import {
  appendEvent,
  KEEP_STOPPED_MS,
  nextWake,
  pruneStoppedTasks,
  pushDeployment,
  retireDeployments,
} from './service-record.js';
import type { ServiceRecord } from './service-store.js';
import { buildView } from './service-messages.js';
import type { DeploymentState } from './scheduler/scheduler-state.js';

function record(over: Partial<ServiceRecord> = {}): ServiceRecord {
  return {
    input: {
      service: {
        serviceName: 'web',
        taskDefinitionRef: 'web:1',
        taskDefinition: taskDef('web', [container('app')]),
        desiredCount: 1,
        loadBalancers: [],
        healthCheckGracePeriodSeconds: 60,
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        circuitBreaker: { enable: false, rollback: false },
        enableExecuteCommand: false,
      },
      targetGroups: [],
    },
    createdAt: '2026-01-01T00:00:00Z',
    desiredCount: 1,
    deployments: [],
    tasks: [],
    milestones: {},
    events: [],
    throttle: { consecutiveFailures: 0, nextStartAt: 0, impairedReported: false },
    steady: false,
    deleting: false,
    version: 0,
    ...over,
  };
}
const NOW = Date.parse('2026-01-01T01:00:00Z');

describe('service record bookkeeping', () => {
  it('keeps the newest 100 events, newest first (as ECS)', () => {
    const r = record();
    for (let i = 0; i < 130; i++) appendEvent(r, `m${i}`, '2026-01-01T00:00:00Z');
    expect(r.events).toHaveLength(100);
    expect(r.events[0]?.message).toBe('m129');
    expect(r.events.at(-1)?.message).toBe('m30');
  });

  it('a new deployment becomes PRIMARY, the old one ACTIVE, and the throttle resets', () => {
    const r = record({
      throttle: { consecutiveFailures: 5, nextStartAt: NOW + 1000, impairedReported: true },
    });
    const a = pushDeployment(
      r,
      'web:1',
      r.input.service.taskDefinition,
      'ECS deployment {id} in progress.',
      '2026-01-01T00:00:00Z',
    );
    const b = pushDeployment(r, 'web:2', r.input.service.taskDefinition, 'x', '2026-01-01T00:00:00Z');
    expect(r.deployments.map((d) => [d.id, d.status])).toEqual([
      [b.id, 'PRIMARY'],
      [a.id, 'ACTIVE'],
    ]);
    expect(a.rolloutStateReason).toBe(`ECS deployment ${a.id} in progress.`);
    expect(r.throttle).toEqual({ consecutiveFailures: 0, nextStartAt: 0, impairedReported: false });
  });

  it('retires an old deployment without tasks once the primary completed', () => {
    const r = record();
    const a = pushDeployment(r, 'web:1', r.input.service.taskDefinition, 'x', '2026-01-01T00:00:00Z');
    const b = pushDeployment(r, 'web:2', r.input.service.taskDefinition, 'x', '2026-01-01T00:00:00Z');
    retireDeployments(r);
    expect(a.status).toBe('ACTIVE');
    b.rolloutState = 'COMPLETED';
    retireDeployments(r);
    expect(a.status).toBe('INACTIVE');
  });

  it('prunes tasks stopped long ago with their milestones, keeps recent ones', () => {
    const old = new Date(NOW - KEEP_STOPPED_MS - 1).toISOString();
    const recent = new Date(NOW - 1000).toISOString();
    const task = (taskId: string) => ({
      taskId,
      deploymentId: 'd',
      lastStatus: 'STOPPED' as const,
      healthStatus: 'UNKNOWN' as const,
      targets: {},
      targetDetail: {},
    });
    const r = record({
      tasks: [task('old'), task('recent')],
      milestones: { old: [{ at: old, kind: 'stopped' }], recent: [{ at: recent, kind: 'stopped' }] },
    });
    pruneStoppedTasks(r, NOW);
    expect(r.tasks.map((t) => t.taskId)).toEqual(['recent']);
    expect(Object.keys(r.milestones)).toEqual(['recent']);
  });

  it('wakes at the earliest of the throttle end and a grace period end', () => {
    const running = new Date(NOW - 30_000).toISOString();
    const r = record({
      tasks: [
        {
          taskId: 't',
          deploymentId: 'd',
          lastStatus: 'RUNNING',
          healthStatus: 'UNKNOWN',
          runningAt: running,
          targets: {},
          targetDetail: {},
        },
      ],
      throttle: { consecutiveFailures: 3, nextStartAt: NOW + 60_000, impairedReported: true },
    });
    expect(nextWake(r, NOW)).toBe(NOW + 30_000);
    expect(nextWake(record(), NOW)).toBeUndefined();
  });
});

describe('failed task definitions in the view', () => {
  const dep = (id: string, ref: string, rolloutState: DeploymentState['rolloutState']): DeploymentState => ({
    id,
    taskDefinitionRef: ref,
    taskDefinition: taskDef('web', [container('app')]),
    status: 'INACTIVE',
    rolloutState,
    rolloutStateReason: '',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    failedTasks: 0,
  });
  const arns = { clusterArn: 'c', serviceArn: 's' };
  it('names a revision whose latest deployment failed, not one that later completed', () => {
    // Newest first: the rollback to web:1, the failed web:3, an earlier failed web:2 fixed later.
    const r = record({
      deployments: [
        { ...dep('ecs-svc/5', 'web:1', 'COMPLETED'), status: 'PRIMARY' },
        dep('ecs-svc/4', 'web:3', 'FAILED'),
        dep('ecs-svc/3', 'web:2', 'COMPLETED'),
        dep('ecs-svc/2', 'web:2', 'FAILED'),
        dep('ecs-svc/1', 'web:1', 'COMPLETED'),
      ],
    });
    expect(buildView(r, arns, [], undefined).failedTaskDefinitions).toEqual(['web:3']);
    expect(buildView(record(), arns, [], undefined).failedTaskDefinitions).toEqual([]);
  });
});
