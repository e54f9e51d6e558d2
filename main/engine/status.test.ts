import { describe, expect, test } from 'vitest';
import type { ContainerPhase, HealthStatus } from '../../contract/dto.js';
import {
  containerKnownStatus,
  containerLastStatus,
  deriveTaskHealth,
  TASK_STATUS_ORDER,
  taskStatusRank,
} from './status.js';

describe('task status order (semantics §2)', () => {
  test('PROVISIONING → … → STOPPED, exactly as ECS lists them', () => {
    expect(TASK_STATUS_ORDER).toEqual([
      'PROVISIONING',
      'PENDING',
      'ACTIVATING',
      'RUNNING',
      'DEACTIVATING',
      'STOPPING',
      'DEPROVISIONING',
      'STOPPED',
    ]);
  });

  test('rank increases strictly along the lifecycle', () => {
    const ranks = TASK_STATUS_ORDER.map(taskStatusRank);
    expect(ranks).toEqual(TASK_STATUS_ORDER.map((_, i) => i));
  });
});

describe('container status mapping', () => {
  test.each<[ContainerPhase, string, string]>([
    ['NONE', 'PENDING', 'NONE'],
    ['WAITING', 'PENDING', 'PULLED'],
    ['PULLING', 'PENDING', 'NONE'],
    ['PULLED', 'PENDING', 'PULLED'],
    ['CREATED', 'PENDING', 'CREATED'],
    ['RUNNING', 'RUNNING', 'RUNNING'],
    ['STOPPING', 'RUNNING', 'RUNNING'],
    ['STOPPED', 'STOPPED', 'STOPPED'],
  ])('%s → lastStatus %s, KnownStatus %s', (phase, last, known) => {
    expect(containerLastStatus(phase)).toBe(last);
    expect(containerKnownStatus(phase)).toBe(known);
  });

  test('the API never shows anything but PENDING, RUNNING, STOPPED', () => {
    const phases: ContainerPhase[] = [
      'NONE',
      'WAITING',
      'PULLING',
      'PULLED',
      'CREATED',
      'RUNNING',
      'STOPPING',
      'STOPPED',
    ];
    expect(new Set(phases.map(containerLastStatus))).toEqual(new Set(['PENDING', 'RUNNING', 'STOPPED']));
  });

  test('an unknown phase is a programming error', () => {
    expect(() => containerLastStatus('BOGUS' as ContainerPhase)).toThrow('unexpected value BOGUS');
    expect(() => containerKnownStatus('BOGUS' as ContainerPhase)).toThrow('unexpected value BOGUS');
  });
});

describe('deriveTaskHealth (semantics §5): essential containers only; UNHEALTHY > UNKNOWN > HEALTHY', () => {
  const E = (healthStatus: HealthStatus) => ({ essential: true, healthStatus });
  const N = (healthStatus: HealthStatus) => ({ essential: false, healthStatus });
  test.each([
    ['all essential HEALTHY', [E('HEALTHY'), E('HEALTHY')], 'HEALTHY'],
    ['one essential UNHEALTHY', [E('HEALTHY'), E('UNHEALTHY')], 'UNHEALTHY'],
    ['UNHEALTHY wins over UNKNOWN', [E('UNKNOWN'), E('UNHEALTHY')], 'UNHEALTHY'],
    ['one essential UNKNOWN', [E('HEALTHY'), E('UNKNOWN')], 'UNKNOWN'],
    ['non-essential UNHEALTHY ignored', [E('HEALTHY'), N('UNHEALTHY')], 'HEALTHY'],
    ['non-essential UNKNOWN ignored', [E('HEALTHY'), N('UNKNOWN')], 'HEALTHY'],
    ['non-essential HEALTHY does not lift an UNKNOWN essential', [E('UNKNOWN'), N('HEALTHY')], 'UNKNOWN'],
    ['single essential without check', [E('UNKNOWN')], 'UNKNOWN'],
    ['no essential container', [N('HEALTHY')], 'UNKNOWN'],
    ['no containers', [], 'UNKNOWN'],
  ] as const)('%s → %s', (_name, containers, want) => {
    expect(deriveTaskHealth(containers)).toBe(want);
  });
});
