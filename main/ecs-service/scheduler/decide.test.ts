import { describe, expect, it } from 'vitest';
import {
  decide,
  failureThreshold,
  maxTasks,
  minHealthyTasks,
  scaleInOrder,
  throttleAfterFailure,
  type SchedulerAction,
} from './decide.js';
import type { DeploymentState, SchedulerState, ServiceTaskState } from './scheduler-state.js';
import { taskDef, container } from '../../test-support/task-def-builders.js';

const TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef';
const NOW = Date.parse('2026-01-01T00:10:00Z');

function dep(id: string, over: Partial<DeploymentState> = {}): DeploymentState {
  return {
    id,
    taskDefinitionRef: 'web:1',
    taskDefinition: taskDef('web', [container('app')]),
    status: 'PRIMARY',
    rolloutState: 'IN_PROGRESS',
    rolloutStateReason: '',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    failedTasks: 0,
    ...over,
  };
}

type Kind = 'healthy' | 'initial' | 'unhealthy' | 'pending' | 'stopped' | 'draining';
function task(
  taskId: string,
  deploymentId: string,
  kind: Kind,
  runningAt = '2026-01-01T00:01:00Z',
): ServiceTaskState {
  const running = kind !== 'pending' && kind !== 'stopped';
  return {
    taskId,
    deploymentId,
    lastStatus: kind === 'pending' ? 'PENDING' : kind === 'stopped' ? 'STOPPED' : 'RUNNING',
    healthStatus: 'UNKNOWN',
    ...(running ? { runningAt } : {}),
    targets: running ? { [TG]: kind === 'draining' ? 'draining' : kind } : {},
    targetDetail: kind === 'unhealthy' ? { [TG]: 'Health checks failed with these codes: [500]' } : {},
    ...(kind === 'draining' ? { stopping: true } : {}),
  };
}

function state(over: Partial<SchedulerState>): SchedulerState {
  return {
    desiredCount: 2,
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    circuitBreaker: { enable: false, rollback: false },
    healthCheckGracePeriodSeconds: 0,
    targetGroupArns: [TG],
    deployments: [dep('d1')],
    tasks: [],
    throttle: { consecutiveFailures: 0, nextStartAt: 0, impairedReported: false },
    deleting: false,
    steady: false,
    ...over,
  };
}

const summary = (a: readonly SchedulerAction[]) =>
  a.map((x) =>
    x.kind === 'start'
      ? `start ${x.deploymentId} ${x.count}`
      : x.kind === 'stop'
        ? `stop ${x.taskId}`
        : x.kind === 'fail' || x.kind === 'complete'
          ? `${x.kind} ${x.deploymentId}`
          : x.kind === 'rollback'
            ? `rollback ${x.toId}`
            : x.kind,
  );

describe('percent math (ECS: max rounds down, min rounds up)', () => {
  it.each([
    [2, 200, 100, 4, 2],
    [3, 150, 50, 4, 2],
    [1, 200, 0, 2, 0],
    [5, 100, 50, 5, 3],
    [0, 200, 100, 0, 0],
  ])(
    'desired %i, maximumPercent %i, minimumHealthyPercent %i → at most %i, at least %i healthy',
    (d, max, min, cap, floor) => {
      expect(maxTasks(d, max)).toBe(cap);
      expect(minHealthyTasks(d, min)).toBe(floor);
    },
  );
});

describe('circuit breaker threshold (0.5 × desired, 3..200)', () => {
  it.each([
    [1, 3],
    [6, 3],
    [7, 4],
    [10, 5],
    [399, 200],
    [1000, 200],
  ])('desired %i → %i', (d, t) => expect(failureThreshold(d)).toBe(t));
});

describe('throttle backoff', () => {
  it('starts after 3 failures in a row, doubles, caps at 27 minutes', () => {
    let t = { consecutiveFailures: 0, nextStartAt: 0, impairedReported: false };
    const delays: number[] = [];
    for (let i = 0; i < 14; i++) {
      t = throttleAfterFailure(t, 0, 10_000);
      delays.push(t.nextStartAt);
    }
    expect(delays.slice(0, 5)).toEqual([0, 0, 10_000, 20_000, 40_000]);
    expect(delays.at(-1)).toBe(27 * 60_000);
  });
});

describe('scale-in order', () => {
  it('not running first, then unhealthy, then not yet healthy, then the newest', () => {
    const tasks = [
      task('old-healthy', 'd1', 'healthy', '2026-01-01T00:01:00Z'),
      task('new-healthy', 'd1', 'healthy', '2026-01-01T00:05:00Z'),
      task('initial', 'd1', 'initial'),
      task('unhealthy', 'd1', 'unhealthy'),
      task('pending', 'd1', 'pending'),
    ];
    expect(scaleInOrder(tasks, { targetGroupArns: [TG] }).map((t) => t.taskId)).toEqual([
      'pending',
      'unhealthy',
      'initial',
      'new-healthy',
      'old-healthy',
    ]);
  });
});

describe('decide', () => {
  const d2 = dep('d2');
  const d1done = dep('d1', { status: 'ACTIVE', rolloutState: 'COMPLETED' });
  it.each<[string, Partial<SchedulerState>, string[], number?]>([
    ['a new service starts desiredCount tasks', { tasks: [] }, ['start d1 2']],
    [
      'steady: all healthy → complete + steady',
      { tasks: [task('a', 'd1', 'healthy'), task('b', 'd1', 'healthy')] },
      ['complete d1', 'steady'],
    ],
    [
      'a stopped task is replaced',
      { tasks: [task('a', 'd1', 'healthy'), task('b', 'd1', 'stopped')] },
      ['start d1 1'],
    ],
    [
      'throttled: no start',
      {
        tasks: [task('a', 'd1', 'healthy')],
        throttle: { consecutiveFailures: 3, nextStartAt: NOW + 5000, impairedReported: true },
      },
      [],
    ],
    [
      'unhealthy after grace → stopped; room for a replacement under max',
      { tasks: [task('a', 'd1', 'healthy'), task('b', 'd1', 'unhealthy')] },
      ['stop b', 'start d1 1'],
    ],
    [
      'unhealthy inside the grace period → kept',
      {
        healthCheckGracePeriodSeconds: 3600,
        tasks: [task('a', 'd1', 'healthy'), task('b', 'd1', 'unhealthy')],
      },
      [],
    ],
    [
      'scale up 2 → 4',
      { desiredCount: 4, tasks: [task('a', 'd1', 'healthy'), task('b', 'd1', 'healthy')] },
      ['start d1 2'],
    ],
    [
      'scale down 3 → 1 stops pending first, then the newest',
      {
        desiredCount: 1,
        tasks: [
          task('a', 'd1', 'healthy', '2026-01-01T00:01:00Z'),
          task('b', 'd1', 'healthy', '2026-01-01T00:02:00Z'),
          task('c', 'd1', 'pending'),
        ],
      },
      ['stop c', 'stop b'],
    ],
    [
      'deployment (min 100, max 200): start 2 new, stop none yet',
      { deployments: [d2, d1done], tasks: [task('a', 'd1', 'healthy'), task('b', 'd1', 'healthy')] },
      ['start d2 2'],
    ],
    [
      'deployment: one new healthy → one old stopped',
      {
        deployments: [d2, d1done],
        tasks: [
          task('a', 'd1', 'healthy'),
          task('b', 'd1', 'healthy'),
          task('n1', 'd2', 'healthy'),
          task('n2', 'd2', 'initial'),
        ],
      },
      ['stop a'],
    ],
    [
      'deployment (min 50, max 100): stop one old first',
      {
        minimumHealthyPercent: 50,
        maximumPercent: 100,
        deployments: [d2, d1done],
        tasks: [task('a', 'd1', 'healthy'), task('b', 'd1', 'healthy')],
      },
      ['stop a'],
    ],
    [
      'deployment (min 50, max 100): a draining task still counts toward max',
      {
        minimumHealthyPercent: 50,
        maximumPercent: 100,
        deployments: [d2, d1done],
        tasks: [task('a', 'd1', 'draining'), task('b', 'd1', 'healthy')],
      },
      [],
    ],
    [
      'deployment waits for old tasks to finish draining before completing',
      {
        deployments: [d2, d1done],
        tasks: [task('a', 'd1', 'draining'), task('n1', 'd2', 'healthy'), task('n2', 'd2', 'healthy')],
      },
      [],
    ],
    [
      'deployment done',
      {
        deployments: [d2, d1done],
        tasks: [task('a', 'd1', 'stopped'), task('n1', 'd2', 'healthy'), task('n2', 'd2', 'healthy')],
      },
      ['complete d2', 'steady'],
    ],
    [
      'circuit breaker trips at the threshold and rolls back',
      {
        circuitBreaker: { enable: true, rollback: true },
        deployments: [dep('d2', { failedTasks: 3 }), d1done],
        tasks: [task('a', 'd1', 'healthy'), task('b', 'd1', 'healthy')],
      },
      ['fail d2', 'rollback d1'],
    ],
    [
      'circuit breaker below the threshold keeps going',
      {
        circuitBreaker: { enable: true, rollback: true },
        deployments: [dep('d2', { failedTasks: 2 }), d1done],
        tasks: [task('a', 'd1', 'healthy'), task('b', 'd1', 'healthy')],
      },
      ['start d2 2'],
    ],
    [
      'circuit breaker without rollback: FAILED only',
      {
        circuitBreaker: { enable: true, rollback: false },
        deployments: [dep('d2', { failedTasks: 3 }), d1done],
        tasks: [],
      },
      ['fail d2'],
    ],
    [
      'FAILED deployment launches nothing',
      { deployments: [dep('d2', { rolloutState: 'FAILED' })], tasks: [] },
      [],
    ],
    [
      'a health-checked task is not healthy before HEALTHY: the old task stays',
      {
        deployments: [dep('d2'), d1done],
        desiredCount: 1,
        tasks: [task('a', 'd1', 'healthy'), { ...task('n', 'd2', 'healthy'), healthChecked: true }],
      },
      [],
    ],
    [
      'a health-checked HEALTHY task replaces the old one',
      {
        deployments: [dep('d2'), d1done],
        desiredCount: 1,
        tasks: [
          task('a', 'd1', 'healthy'),
          { ...task('n', 'd2', 'healthy'), healthChecked: true, healthStatus: 'HEALTHY' },
        ],
      },
      ['stop a'],
    ],
    [
      'container UNHEALTHY → replaced',
      {
        desiredCount: 1,
        tasks: [{ ...task('a', 'd1', 'healthy'), healthChecked: true, healthStatus: 'UNHEALTHY' }],
      },
      ['stop a', 'start d1 1'],
    ],
    [
      'deleting stops everything',
      {
        deleting: true,
        tasks: [task('a', 'd1', 'healthy'), task('b', 'd1', 'pending'), task('c', 'd1', 'draining')],
      },
      ['stop a', 'stop b'],
    ],
  ])('%s', (_name, over, expected) => {
    expect(summary(decide(state(over), NOW).actions)).toEqual(expected);
  });

  it('says why a deployment waits', () => {
    const d = decide(
      state({
        deployments: [d2, d1done],
        tasks: [
          task('a', 'd1', 'healthy'),
          task('b', 'd1', 'healthy'),
          task('3f2a0000aa', 'd2', 'unhealthy'),
          task('n2', 'd2', 'healthy'),
        ],
        healthCheckGracePeriodSeconds: 3600,
      }),
      NOW,
    );
    expect(d.waitingFor).toContain(
      'new task 3f2a0000 unhealthy: Health checks failed with these codes: [500]',
    );
    expect(d.waitingFor).toContain('old task');
  });

  it('says which new task is being replaced for failing health checks', () => {
    const d = decide(
      state({
        deployments: [d2, d1done],
        tasks: [
          task('a', 'd1', 'healthy'),
          task('b', 'd1', 'healthy'),
          task('3f2a0000aa', 'd2', 'unhealthy'),
        ],
      }),
      NOW,
    );
    expect(d.actions).toContainEqual({
      kind: 'stop',
      taskId: '3f2a0000aa',
      reason: 'task 3f2a0000 failed health checks',
    });
    expect(d.waitingFor).toContain(
      'new task 3f2a0000 failed health checks (Health checks failed with these codes: [500]), being replaced',
    );
  });
});
