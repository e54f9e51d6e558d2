import { describe, expect, it } from 'vitest';
import type { HealthProbe } from '../../../../contract/dto.js';
import { describeCommand, healthBands, probeMarks, taskHealth } from './health-model.js';

const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const probe = (s: number, exitCode: number, output = ''): HealthProbe => ({
  start: new Date(T0 + s * 1000).toISOString(),
  end: new Date(T0 + s * 1000 + 100).toISOString(),
  exitCode,
  output,
});
const cfg = (retries: number, startPeriod = 0) => ({
  command: ['CMD-SHELL', 'x'],
  interval: 5,
  timeout: 2,
  retries,
  startPeriod,
});
const secs = (bands: { state: string; start: number; end: number }[]) =>
  bands.map((b) => [b.state, Math.round((b.start - T0) / 100) / 10, Math.round((b.end - T0) / 100) / 10]);

describe('probeMarks', () => {
  it('keeps time, duration, exit code, output; flags failures inside startPeriod', () => {
    const marks = probeMarks([probe(12, 0, 'ok'), probe(2, 1, 'boom')], T0, cfg(1, 5));
    expect(marks).toEqual([
      { at: T0 + 2000, durationMs: 100, exitCode: 1, ok: false, output: 'boom', grace: true },
      { at: T0 + 12_000, durationMs: 100, exitCode: 0, ok: true, output: 'ok', grace: false },
    ]);
  });
});

describe('healthBands', () => {
  it.each([
    {
      name: 'no probes: starting throughout',
      probes: [],
      retries: 3,
      current: undefined,
      expected: [['starting', 0, 20]],
    },
    {
      name: 'first success makes it healthy',
      probes: [probe(5, 0)],
      retries: 3,
      current: undefined,
      expected: [
        ['starting', 0, 5.1],
        ['healthy', 5.1, 20],
      ],
    },
    {
      name: 'unhealthy after `retries` consecutive failures',
      probes: [probe(5, 1), probe(10, 1), probe(15, 0)],
      retries: 2,
      current: undefined,
      expected: [
        ['starting', 0, 10.1],
        ['unhealthy', 10.1, 15.1],
        ['healthy', 15.1, 20],
      ],
    },
    {
      name: 'a success resets the failure count',
      probes: [probe(5, 1), probe(10, 0), probe(15, 1)],
      retries: 2,
      current: undefined,
      expected: [
        ['starting', 0, 10.1],
        ['healthy', 10.1, 20],
      ],
    },
    {
      name: 'engine status wins when probes lag behind',
      probes: [],
      retries: 3,
      current: { status: 'UNHEALTHY' as const, since: T0 + 12_000 },
      expected: [
        ['starting', 0, 12],
        ['unhealthy', 12, 20],
      ],
    },
  ])('$name', ({ probes, retries, current, expected }) => {
    const marks = probeMarks(probes, T0, cfg(retries));
    expect(secs(healthBands(marks, T0, T0 + 20_000, retries, current))).toEqual(expected);
  });

  it('failures inside startPeriod do not count', () => {
    const marks = probeMarks([probe(1, 1), probe(2, 1), probe(6, 1)], T0, cfg(1, 5));
    expect(secs(healthBands(marks, T0, T0 + 10_000, 1))).toEqual([
      ['starting', 0, 6.1],
      ['unhealthy', 6.1, 10],
    ]);
  });
});

describe('taskHealth', () => {
  it.each([
    [[{ essential: true, healthStatus: 'HEALTHY' }], 'HEALTHY'],
    [
      [
        { essential: true, healthStatus: 'HEALTHY' },
        { essential: false, healthStatus: 'UNHEALTHY' },
      ],
      'HEALTHY',
    ],
    [
      [
        { essential: true, healthStatus: 'UNKNOWN' },
        { essential: true, healthStatus: 'HEALTHY' },
      ],
      'UNKNOWN',
    ],
    [
      [
        { essential: true, healthStatus: 'UNKNOWN' },
        { essential: true, healthStatus: 'UNHEALTHY' },
      ],
      'UNHEALTHY',
    ],
  ] as const)('%j → %s', (containers, expected) => expect(taskHealth(containers)).toBe(expected));
});

describe('describeCommand', () => {
  it.each([
    [['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], 'curl -f http://localhost/ || exit 1'],
    [['CMD', 'test', '-f', '/tmp/a b'], 'test -f "/tmp/a b"'],
    [['NONE'], 'NONE'],
  ])('%j', (cmd, text) => expect(describeCommand(cmd)).toBe(text));
});
