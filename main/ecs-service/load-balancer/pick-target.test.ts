import { describe, expect, it } from 'vitest';
import type { TargetHealthState } from '../../../contract/service-dto.js';
import { eligibleTargets, pickTarget } from './pick-target.js';

const targets = (...states: TargetHealthState[]) => states.map((state, i) => ({ id: i, state }));
const ids = (ts: readonly { id: number }[]) => ts.map((t) => t.id);

describe('eligibleTargets', () => {
  it.each<[string, TargetHealthState[], number[]]>([
    [
      'only healthy ones when any is healthy',
      ['healthy', 'unhealthy', 'initial', 'healthy', 'draining'],
      [0, 3],
    ],
    [
      'fail-open: every non-draining target when none is healthy',
      ['unhealthy', 'initial', 'draining', 'unused'],
      [0, 1],
    ],
    ['nothing when all are draining', ['draining', 'draining'], []],
    ['nothing without targets', [], []],
  ])('%s', (_name, states, expected) => {
    expect(ids(eligibleTargets(targets(...states)))).toEqual(expected);
  });
});

describe('pickTarget', () => {
  it('rotates round robin over the eligible targets', () => {
    const ts = targets('healthy', 'draining', 'healthy', 'healthy');
    let cursor = -1;
    const picked: number[] = [];
    for (let i = 0; i < 6; i++) {
      const p = pickTarget(ts, cursor)!;
      cursor = p.cursor;
      picked.push(p.target.id);
    }
    expect(picked).toEqual([0, 2, 3, 0, 2, 3]);
  });

  it('survives the eligible set shrinking under the cursor', () => {
    expect(pickTarget(targets('healthy'), 5)?.target.id).toBe(0);
  });

  it('is undefined when nothing can take the request', () => {
    expect(pickTarget(targets('draining'), -1)).toBeUndefined();
  });
});
