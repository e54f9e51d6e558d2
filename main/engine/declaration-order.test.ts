import { describe, expect, test } from 'vitest';
import type { ContainerPhase } from '../../contract/dto.js';
import { heldByDeclarationOrder, type OrderedContainer } from './declaration-order.js';

function c(
  name: string,
  phase: ContainerPhase,
  opts: { op?: OrderedContainer['op']; dependsOn?: string[]; volumesFrom?: string[] } = {},
): OrderedContainer {
  return {
    name,
    phase,
    op: opts.op,
    def: {
      dependsOn: (opts.dependsOn ?? []).map((containerName) => ({ containerName })),
      volumesFrom: (opts.volumesFrom ?? []).map((sourceContainer) => ({ sourceContainer })),
    },
  };
}

describe('heldByDeclarationOrder (semantics §4: independent containers keep declaration order)', () => {
  test.each<[string, OrderedContainer[], number, 'create' | 'start', boolean]>([
    ['the first container is never held', [c('a', 'PULLED')], 0, 'create', false],
    [
      'an earlier container still pulling holds a later create',
      [c('a', 'PULLING'), c('b', 'PULLED')],
      1,
      'create',
      true,
    ],
    [
      'an earlier container not yet pulled holds a later create',
      [c('a', 'NONE'), c('b', 'PULLED')],
      1,
      'create',
      true,
    ],
    [
      'an earlier create in flight no longer holds a later create',
      [c('a', 'PULLED', { op: 'create' }), c('b', 'PULLED')],
      1,
      'create',
      false,
    ],
    [
      'an earlier create in flight still holds a later start',
      [c('a', 'PULLED', { op: 'create' }), c('b', 'CREATED')],
      1,
      'start',
      true,
    ],
    [
      'an earlier created-but-not-started container holds a later start',
      [c('a', 'CREATED'), c('b', 'CREATED')],
      1,
      'start',
      true,
    ],
    [
      'an earlier start in flight releases a later start',
      [c('a', 'CREATED', { op: 'start' }), c('b', 'CREATED')],
      1,
      'start',
      false,
    ],
    ['an earlier running container holds nothing', [c('a', 'RUNNING'), c('b', 'CREATED')], 1, 'start', false],
    ['an earlier failed container holds nothing', [c('a', 'STOPPED'), c('b', 'PULLED')], 1, 'create', false],
    [
      'an earlier container waiting on its dependencies holds nothing',
      [c('a', 'WAITING', { dependsOn: ['x'] }), c('b', 'PULLED'), c('x', 'RUNNING')],
      1,
      'create',
      false,
    ],
    [
      'an earlier container that depends on this one does not hold it',
      [c('a', 'PULLING', { dependsOn: ['b'] }), c('b', 'PULLED')],
      1,
      'create',
      false,
    ],
    [
      'transitively, through another container',
      [c('a', 'PULLING', { dependsOn: ['m'] }), c('b', 'PULLED'), c('m', 'NONE', { dependsOn: ['b'] })],
      1,
      'create',
      false,
    ],
    [
      'volumesFrom counts as needing the source first',
      [c('a', 'PULLED', { volumesFrom: ['b'] }), c('b', 'PULLED')],
      1,
      'create',
      false,
    ],
    [
      'a dependency cycle elsewhere does not loop',
      [c('a', 'PULLING', { dependsOn: ['m'] }), c('b', 'PULLED'), c('m', 'NONE', { dependsOn: ['a'] })],
      1,
      'create',
      true,
    ],
  ])('%s', (_name, containers, index, step, held) => {
    expect(heldByDeclarationOrder(containers, index, step)).toBe(held);
  });
});
