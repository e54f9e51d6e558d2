import { describe, expect, test } from 'vitest';
import type { DependencyCondition } from '../task-definition/model.js';
import { evaluateDependency, resolveDependencies, type UpstreamState } from './dependency-resolution.js';

const T0 = Date.parse('2024-01-01T00:00:00.000Z');
const S = 1000;

/** An upstream that exists but has not started. */
function up(over: Partial<UpstreamState> = {}): UpstreamState {
  return {
    name: 'db',
    exited: false,
    healthStatus: 'UNKNOWN',
    failedProbes: 0,
    hasHealthCheck: false,
    ...over,
  };
}
const running = (over: Partial<UpstreamState> = {}) => up({ startedAt: T0, ...over });
const exited = (exitCode: number, over: Partial<UpstreamState> = {}) =>
  up({ startedAt: T0, exited: true, exitCode, ...over });
const dep = (condition: DependencyCondition, containerName = 'db') => ({ containerName, condition });

describe('evaluateDependency (semantics §4)', () => {
  test.each<
    [string, DependencyCondition, UpstreamState | undefined, number, 'met' | 'waiting' | 'failed', string?]
  >([
    // START
    ['START: not started yet', 'START', up(), T0, 'waiting', 'waiting for db to start'],
    ['START: started', 'START', running(), T0, 'met'],
    ['START: already exited (still satisfied)', 'START', exited(1), T0, 'met'],
    [
      'START: upstream could never start',
      'START',
      up({ failedReason: 'CannotPullContainerError: x' }),
      T0,
      'failed',
      'db never started (CannotPullContainerError: x)',
    ],
    ['START: startTimeout never applies', 'START', up({ startTimeout: 1 }), T0 + 60 * S, 'waiting'],
    // COMPLETE
    ['COMPLETE: running', 'COMPLETE', running(), T0, 'waiting', 'db: COMPLETE — waiting for it to exit'],
    ['COMPLETE: exited 0', 'COMPLETE', exited(0), T0, 'met'],
    ['COMPLETE: exited non-zero (any code)', 'COMPLETE', exited(3), T0, 'met'],
    [
      'COMPLETE: upstream failed to start',
      'COMPLETE',
      up({ failedReason: 'CannotStartContainerError: y' }),
      T0,
      'failed',
      'db never started',
    ],
    // SUCCESS
    ['SUCCESS: running', 'SUCCESS', running(), T0, 'waiting', 'db: SUCCESS — waiting for it to exit 0'],
    ['SUCCESS: exited 0', 'SUCCESS', exited(0), T0, 'met'],
    [
      'SUCCESS: exited non-zero is terminal',
      'SUCCESS',
      exited(2),
      T0,
      'failed',
      'db exited with code 2, SUCCESS requires 0',
    ],
    // HEALTHY
    ['HEALTHY: healthy', 'HEALTHY', running({ hasHealthCheck: true, healthStatus: 'HEALTHY' }), T0, 'met'],
    [
      'HEALTHY: not started',
      'HEALTHY',
      up({ hasHealthCheck: true }),
      T0,
      'waiting',
      'db: HEALTHY — not started yet',
    ],
    [
      'HEALTHY: starting, one failed probe',
      'HEALTHY',
      running({ hasHealthCheck: true, failedProbes: 1 }),
      T0,
      'waiting',
      'db: HEALTHY — 1 failed probe',
    ],
    [
      'HEALTHY: UNHEALTHY keeps waiting (it may recover)',
      'HEALTHY',
      running({ hasHealthCheck: true, healthStatus: 'UNHEALTHY', failedProbes: 4 }),
      T0,
      'waiting',
      'db: HEALTHY — 4 failed probes',
    ],
    [
      'HEALTHY: no healthCheck is terminal',
      'HEALTHY',
      running(),
      T0,
      'failed',
      'db has no healthCheck, so it can never be HEALTHY',
    ],
    [
      'HEALTHY: exited before healthy is terminal',
      'HEALTHY',
      exited(0, { hasHealthCheck: true }),
      T0,
      'failed',
      'db exited with code 0 before becoming HEALTHY',
    ],
    // Unknown upstream
    ['missing upstream', 'START', undefined, T0, 'failed', 'container db does not exist in the task'],
  ])('%s', (_name, condition, upstream, now, state, detail) => {
    const r = evaluateDependency(dep(condition), upstream, now);
    expect(r.state).toBe(state);
    if (detail !== undefined) expect('detail' in r ? r.detail : '').toContain(detail);
  });

  describe('startTimeout: the upstream’s, counted from its start, for COMPLETE/SUCCESS/HEALTHY', () => {
    test.each<DependencyCondition>(['COMPLETE', 'SUCCESS', 'HEALTHY'])(
      '%s: before the deadline → waiting with the deadline',
      (condition) => {
        const r = evaluateDependency(
          dep(condition),
          running({ startTimeout: 10, hasHealthCheck: true }),
          T0 + 3 * S + 400,
        );
        expect(r).toMatchObject({ state: 'waiting', deadline: T0 + 10 * S });
        expect(r.state === 'waiting' && r.detail).toContain('3 s of startTimeout 10 s');
      },
    );

    test.each<DependencyCondition>(['COMPLETE', 'SUCCESS', 'HEALTHY'])(
      '%s: at the deadline → failed, "timed out"',
      (condition) => {
        const r = evaluateDependency(
          dep(condition),
          running({ startTimeout: 10, hasHealthCheck: true }),
          T0 + 10 * S,
        );
        expect(r).toEqual({
          state: 'failed',
          detail: `db timed out after startTimeout 10 s waiting for ${condition}`,
        });
      },
    );

    test('no startTimeout → no deadline however long it takes', () => {
      const r = evaluateDependency(dep('COMPLETE'), running(), T0 + 3600 * S);
      expect(r).toEqual({ state: 'waiting', detail: 'db: COMPLETE — waiting for it to exit' });
    });

    test('a timeout does not apply before the upstream started', () => {
      const r = evaluateDependency(dep('COMPLETE'), up({ startTimeout: 1 }), T0 + 3600 * S);
      expect(r.state).toBe('waiting');
      expect('deadline' in r).toBe(false);
    });

    test('met beats timed out: an upstream that exited after the deadline still satisfies COMPLETE', () => {
      expect(evaluateDependency(dep('COMPLETE'), exited(0, { startTimeout: 1 }), T0 + 60 * S).state).toBe(
        'met',
      );
    });
  });
});

describe('resolveDependencies', () => {
  const states = new Map<string, UpstreamState>([
    ['db', running({ name: 'db', hasHealthCheck: true, startTimeout: 30 })],
    ['init', exited(0, { name: 'init' })],
    ['bad', exited(2, { name: 'bad' })],
    ['cache', running({ name: 'cache', startTimeout: 5 })],
  ]);

  test('no dependencies → resolved', () => {
    expect(resolveDependencies([], states, T0)).toEqual({ kind: 'resolved', waits: [] });
  });

  test('all met → resolved, each wait marked met with a time', () => {
    const r = resolveDependencies([dep('START'), dep('SUCCESS', 'init')], states, T0 + S);
    expect(r.kind).toBe('resolved');
    expect(r.waits).toEqual([
      {
        containerName: 'db',
        condition: 'START',
        state: 'met',
        detail: 'db: START met',
        at: new Date(T0 + S).toISOString(),
      },
      {
        containerName: 'init',
        condition: 'SUCCESS',
        state: 'met',
        detail: 'init: SUCCESS met',
        at: new Date(T0 + S).toISOString(),
      },
    ]);
  });

  test('one waiting → blocked, the first waiting reason, the nearest deadline', () => {
    const r = resolveDependencies(
      [dep('START', 'init'), dep('HEALTHY'), dep('COMPLETE', 'cache')],
      states,
      T0 + S,
    );
    expect(r.kind).toBe('blocked');
    if (r.kind !== 'blocked') return;
    expect(r.reason).toBe('db: HEALTHY — 0 failed probes, 1 s of startTimeout 30 s');
    expect(r.nextDeadline).toBe(T0 + 5 * S);
    expect(r.waits.map((w) => w.state)).toEqual(['met', 'waiting', 'waiting']);
  });

  test('any failure → impossible, naming upstream, condition and what happened (even if others wait)', () => {
    const r = resolveDependencies([dep('HEALTHY'), dep('SUCCESS', 'bad')], states, T0);
    expect(r).toMatchObject({
      kind: 'impossible',
      reason: 'dependency graph: bad SUCCESS failed: bad exited with code 2, SUCCESS requires 0',
    });
  });

  test('a dependency on a container not in the task is impossible', () => {
    const r = resolveDependencies([dep('START', 'ghost')], states, T0);
    expect(r).toMatchObject({
      kind: 'impossible',
      reason: 'dependency graph: ghost START failed: container ghost does not exist in the task',
    });
  });

  test('`at` is kept while a dependency stays in the same state, and renewed when it changes', () => {
    const first = resolveDependencies([dep('START')], states, T0 + S);
    const later = resolveDependencies([dep('START')], states, T0 + 9 * S, first.waits);
    expect(later.waits[0]?.at).toBe(new Date(T0 + S).toISOString());
    const waiting = resolveDependencies([dep('START')], new Map([['db', up()]]), T0);
    const met = resolveDependencies([dep('START')], states, T0 + 4 * S, waiting.waits);
    expect(met.waits[0]?.at).toBe(new Date(T0 + 4 * S).toISOString());
  });
});
