import { describe, expect, it } from 'vitest';
import type { ServiceTaskView } from '../../../../contract/service-dto.js';
import { deploymentLanes, lanesWindow, taskLane } from './deployment-timeline-model.js';
import {
  bandClass,
  checkMarks,
  describeCheck,
  drainingSecondsLeft,
  position,
  targetBands,
  timelineWindow,
} from './target-timeline-model.js';
import { deployment, target } from './service-view-fixtures.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

describe('target health timeline', () => {
  const t = target({
    state: 'draining',
    drainingUntil: at(40),
    history: [
      { at: at(10), state: 'healthy' },
      { at: at(0), state: 'initial', reason: 'Elb.RegistrationInProgress' },
      { at: at(30), state: 'draining', reason: 'Target.DeregistrationInProgress' },
    ],
    checks: [
      { at: at(5), statusCode: 200, latencyMs: 3.4, ok: true },
      { at: at(1), latencyMs: 2000, ok: false, error: 'ECONNREFUSED' },
    ],
  });

  it('draws one band per state change, in time order, the last up to the end', () => {
    expect(
      targetBands(t, T0 + 35_000).map((b) => [b.state, (b.start - T0) / 1000, (b.end - T0) / 1000]),
    ).toEqual([
      ['initial', 0, 10],
      ['healthy', 10, 30],
      ['draining', 30, 35],
    ]);
    expect(targetBands(target({ history: [] }), T0 + 5000)).toEqual([
      { state: 'healthy', start: T0, end: T0 + 5000 },
    ]);
    expect(bandClass('draining')).toBe('band-draining');
    expect(bandClass('initial')).toBe('band-starting');
  });

  it('marks every check in order with code or error and latency', () => {
    const marks = checkMarks(t);
    expect(marks.map((m) => describeCheck(m))).toEqual(['ECONNREFUSED · 2000 ms', 'HTTP 200 · 3 ms']);
  });

  it('counts draining down in whole seconds, never below zero', () => {
    expect(drainingSecondsLeft(t, T0 + 32_500)).toBe(8);
    expect(drainingSecondsLeft(t, T0 + 60_000)).toBe(0);
    expect(drainingSecondsLeft(target(), T0)).toBeUndefined();
  });

  it('puts every target on one axis and clamps positions to the track', () => {
    const w = timelineWindow([t, target({ registeredAt: at(-5), history: [] })], T0 + 20_000);
    expect([(w.start - T0) / 1000, (w.end - T0) / 1000]).toEqual([-5, 30 + 35 * 0.03]);
    expect(position(w.start - 1000, w.start, w.end)).toBe(0);
    expect(position(w.end + 1000, w.start, w.end)).toBe(100);
    expect(position(5, 5, 5)).toBe(0);
  });
});

describe('deployment timeline', () => {
  const task = (
    taskId: string,
    deploymentId: string,
    kinds: [string, number, string?][],
  ): ServiceTaskView => ({
    taskId,
    deploymentId,
    lastStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    milestones: kinds.map(([kind, s, detail]) => ({
      kind: kind as ServiceTaskView['milestones'][number]['kind'],
      at: at(s),
      ...(detail ? { detail } : {}),
    })),
  });

  it('turns milestones into phases; stopped ends the lane', () => {
    const lane = taskLane(
      task('a', 'd1', [
        ['started', 0],
        ['running', 2],
        ['registered', 2],
        ['healthy', 12],
        ['draining', 30, 'deregistration delay 5 s'],
        ['stopped', 36],
      ]),
      T0 + 50_000,
    );
    expect(lane.segments.map((s) => [s.phase, (s.start - T0) / 1000, (s.end - T0) / 1000])).toEqual([
      ['starting', 0, 2],
      ['registering', 2, 2],
      ['initial', 2, 12],
      ['healthy', 12, 30],
      ['draining', 30, 36],
    ]);
    expect(lane.current?.kind).toBe('stopped');
  });

  it('groups lanes by deployment in the service order, keeping tasks of unlisted deployments', () => {
    const groups = deploymentLanes(
      [
        deployment({ id: 'd2' }),
        deployment({ id: 'd1', status: 'ACTIVE' }),
        deployment({ id: 'd0', status: 'INACTIVE' }),
      ],
      [
        task('old', 'd1', [['started', 0]]),
        task('new2', 'd2', [['started', 20]]),
        task('new1', 'd2', [['started', 10]]),
        task('lost', 'dx', [['started', 5]]),
      ],
      T0 + 30_000,
    );
    expect(groups.map((g) => [g.deploymentId, g.lanes.map((l) => l.taskId)])).toEqual([
      ['d2', ['new1', 'new2']],
      ['d1', ['old']],
      ['dx', ['lost']],
    ]);
    const w = lanesWindow(groups, T0 + 30_000);
    expect([(w.start - T0) / 1000, (w.end - T0) / 1000]).toEqual([0, 30]);
  });
});
