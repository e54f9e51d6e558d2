import { describe, expect, it } from 'vitest';
import { launchOrder, stopOrder, type LaunchOrderInput } from './launch-order.js';
import type { DependencyCondition } from './model.js';

function task(spec: Record<string, readonly string[]>): LaunchOrderInput {
  return {
    containerDefinitions: Object.entries(spec).map(([name, deps]) => ({
      name,
      dependsOn: deps.map((containerName) => ({ containerName, condition: 'START' as DependencyCondition })),
    })),
  };
}

describe('launchOrder', () => {
  it.each<[string, Record<string, readonly string[]>, string[][]]>([
    ['single container', { app: [] }, [['app']]],
    ['independent containers keep declaration order', { b: [], a: [], c: [] }, [['b', 'a', 'c']]],
    [
      'a chain declared backwards',
      { app: ['migrate'], migrate: ['db'], db: [] },
      [['db'], ['migrate'], ['app']],
    ],
    [
      'diamond',
      { app: ['api', 'worker'], api: ['db'], worker: ['db', 'cache'], db: [], cache: [] },
      [['db', 'cache'], ['api', 'worker'], ['app']],
    ],
    [
      'level is the longest path',
      { app: ['db', 'migrate'], migrate: ['db'], db: [] },
      [['db'], ['migrate'], ['app']],
    ],
    ['unknown dependencies are ignored', { app: ['ghost'] }, [['app']]],
  ])('%s', (_name, spec, expected) => {
    expect(launchOrder(task(spec))).toEqual(expected);
  });

  it('throws on a cycle (validation refuses cycles first)', () => {
    expect(() => launchOrder(task({ a: ['b'], b: ['a'] }))).toThrow(/cycle/);
  });

  it('stopOrder is the reverse', () => {
    expect(stopOrder(task({ app: ['db'], db: [] }))).toEqual([['app'], ['db']]);
  });

  it('is empty for no containers', () => {
    expect(launchOrder({ containerDefinitions: [] })).toEqual([]);
  });
});
