import { describe, expect, it } from 'vitest';
import type { ContainerPhase } from '../../../../contract/dto.js';
import { container, task } from '../tasks/task-fixtures.js';
import { axisTicks, buildTimeline, phaseSegments } from './timeline-model.js';

const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const ph = (s: number, phase: ContainerPhase, detail?: string) => ({
  at: at(s),
  phase,
  ...(detail ? { detail } : {}),
});

describe('phaseSegments', () => {
  it.each([
    { name: 'no phases', phases: [], end: 10, exit: undefined, expected: [] },
    {
      name: 'full life with exit code on the stopped segment',
      phases: [
        ph(0, 'PULLING'),
        ph(1, 'PULLED'),
        ph(2, 'CREATED'),
        ph(3, 'RUNNING'),
        ph(8, 'STOPPING'),
        ph(9, 'STOPPED'),
      ],
      end: 10,
      exit: 143,
      expected: [
        ['pulling', 0, 1, 'pulling'],
        ['created', 1, 3, 'created'],
        ['running', 3, 8, 'running'],
        ['stopping', 8, 9, 'stopping'],
        ['stopped', 9, 10, 'stopped (exit 143)'],
      ],
    },
    {
      name: 'waiting first, detail kept',
      phases: [ph(0, 'WAITING', 'waiting for db: HEALTHY'), ph(5, 'RUNNING')],
      end: 7,
      exit: undefined,
      expected: [
        ['waiting', 0, 5, 'waiting'],
        ['running', 5, 7, 'running'],
      ],
    },
    {
      name: 'repeated phase merges',
      phases: [ph(0, 'WAITING'), ph(2, 'WAITING'), ph(4, 'RUNNING')],
      end: 6,
      exit: undefined,
      expected: [
        ['waiting', 0, 4, 'waiting'],
        ['running', 4, 6, 'running'],
      ],
    },
    {
      name: 'never started: stopped straight from waiting',
      phases: [ph(0, 'WAITING'), ph(3, 'STOPPED')],
      end: 4,
      exit: 143,
      expected: [
        ['waiting', 0, 3, 'waiting'],
        ['stopped', 3, 4, 'stopped (exit 143)'],
      ],
    },
  ])('$name', ({ phases, end, exit, expected }) => {
    const segs = phaseSegments(phases, T0 + end * 1000, exit);
    expect(segs.map((s) => [s.kind, (s.start - T0) / 1000, (s.end - T0) / 1000, s.label])).toEqual(expected);
  });
});

describe('buildTimeline', () => {
  const chain = task(
    [
      // Declared first but depends on db: must be drawn after db.
      container({
        name: 'app',
        phases: [ph(0, 'WAITING'), ph(6, 'PULLING'), ph(7, 'CREATED'), ph(8, 'RUNNING')],
        startedAt: at(8),
        dependencies: [
          { containerName: 'db', condition: 'HEALTHY', state: 'met', detail: 'db: HEALTHY met', at: at(6) },
        ],
      }),
      container({
        name: 'db',
        phases: [ph(0, 'PULLING'), ph(1, 'CREATED'), ph(1.5, 'RUNNING')],
        startedAt: at(1.5),
        healthStatus: 'HEALTHY',
        healthSince: at(6),
      }),
      container({ name: 'late', phases: [ph(0, 'WAITING')], essential: false }),
    ],
    { createdAt: at(0), stopRequestedAt: at(10), stoppingAt: at(10.5), stoppedReason: 'done' },
  );
  const model = buildTimeline(
    chain,
    {
      db: [
        { start: at(3), end: at(3.1), exitCode: 1, output: 'no' },
        { start: at(5.9), end: at(6), exitCode: 0, output: 'ok' },
      ],
    },
    {
      family: 'f',
      revision: 1,
      networkMode: 'bridge',
      containers: [
        {
          name: 'db',
          image: 'db',
          essential: true,
          cpu: 0,
          portMappings: [],
          environment: [],
          secrets: [],
          dependsOn: [],
          healthCheck: {
            command: ['CMD-SHELL', 'true'],
            interval: 5,
            timeout: 2,
            retries: 3,
            startPeriod: 0,
          },
        },
      ],
    },
    T0 + 12_000,
  );

  it('orders rows by start time, never-started last', () => {
    expect(model.rows.map((r) => r.container)).toEqual(['db', 'app', 'late']);
  });

  it('marks where a dependency was released, on the dependent row', () => {
    const app = model.rows.find((r) => r.container === 'app')!;
    expect(app.markers).toEqual([
      { kind: 'released', at: T0 + 6000, label: 'db HEALTHY met → app released' },
    ]);
  });

  it('marks the stop request and stopping on the task', () => {
    expect(model.markers.map((m) => [m.kind, (m.at - T0) / 1000])).toEqual([
      ['stop-requested', 10],
      ['stopping', 10.5],
    ]);
    expect(model.markers[0]?.label).toBe('Stop requested: done');
  });

  it('draws health bands from probes for a container with a check', () => {
    const db = model.rows[0]!;
    expect(db.health.map((b) => [b.state, (b.start - T0) / 1000, (b.end - T0) / 1000])).toEqual([
      ['starting', 1.5, 6],
      ['healthy', 6, 12],
    ]);
    expect(model.rows[1]!.health).toEqual([]);
  });

  it('spans createdAt → now while running', () => {
    expect([model.start, model.end]).toEqual([T0, T0 + 12_000]);
  });
});

describe('axisTicks', () => {
  it.each([
    [10_000, 5, [0, 2000, 4000, 6000, 8000, 10_000]],
    [3000, 3, [0, 1000, 2000, 3000]],
    [60_000, 4, [0, 15_000, 30_000, 45_000, 60_000]],
  ])('%d ms / %d', (span, count, ticks) => expect(axisTicks(span, count)).toEqual(ticks));
});
