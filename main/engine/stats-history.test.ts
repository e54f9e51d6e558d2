import { describe, expect, it } from 'vitest';
import type { ResourceSample } from '../../contract/dto.js';
import { FINE_CAPACITY, COARSE_CAPACITY, mergeSamples, ResourceHistory } from './stats-history.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function sample(i: number, over: Partial<ResourceSample> = {}): ResourceSample {
  return { t: T0 + i * 1000, cpu: 10, mem: 1000 + i, rx: 100, tx: 50, rd: 0, wr: 0, pids: 2, ...over };
}

describe('ResourceHistory', () => {
  it('keeps the newest samples at full resolution', () => {
    const h = new ResourceHistory();
    for (let i = 0; i < 100; i++) h.add(sample(i));
    expect(h.size).toBe(100);
    expect(h.samples().map((s) => s.t)).toEqual(Array.from({ length: 100 }, (_, i) => T0 + i * 1000));
  });

  it('stays bounded over a day of samples, newest 10 min still at 1 s, oldest still there', () => {
    const h = new ResourceHistory();
    const day = 24 * 3600;
    for (let i = 0; i < day; i++) h.add(sample(i));
    // Bounded whatever the lifetime: the fine ring (plus its eviction slack) and the coarse cap.
    expect(h.size).toBeLessThanOrEqual(FINE_CAPACITY + FINE_CAPACITY / 8 + COARSE_CAPACITY);
    const all = h.samples();
    expect(all[0]!.t).toBe(T0);
    const last10min = all.filter((s) => s.t >= T0 + (day - 600) * 1000);
    expect(last10min).toHaveLength(600);
    expect(last10min.every((s) => (s.n ?? 1) === 1)).toBe(true);
    // Older points are buckets of many samples, oldest first, strictly increasing in time.
    expect(all.slice(0, 10).every((s) => (s.n ?? 1) > 1)).toBe(true);
    expect(all.every((s, i) => i === 0 || s.t > all[i - 1]!.t)).toBe(true);
    // Every sample is accounted for exactly once.
    expect(all.reduce((n, s) => n + (s.n ?? 1), 0)).toBe(day);
    expect(h.coarseBucketMs).toBeGreaterThan(10_000);
  });

  it('keeps memory and PID peaks when downsampling (an OOM spike survives)', () => {
    const h = new ResourceHistory(10, 4, 5000);
    for (let i = 0; i < 200; i++) h.add(sample(i, i === 37 ? { mem: 999_999_999, pids: 40 } : {}));
    const coarse = h.samples().filter((s) => (s.n ?? 1) > 1);
    expect(Math.max(...coarse.map((s) => s.mem))).toBe(999_999_999);
    expect(Math.max(...coarse.map((s) => s.pids))).toBe(40);
  });

  it('averages rates and CPU by sample count', () => {
    const m = mergeSamples(
      mergeSamples(sample(0, { cpu: 10, rx: 0 }), sample(1, { cpu: 40, rx: 300 })),
      sample(2, { cpu: 70, rx: 600 }),
    );
    expect(m).toMatchObject({ t: T0, cpu: 40, rx: 300, n: 3, mem: 1002 });
  });

  it('ignores a sample not newer than the last one (a resumed stream never goes back)', () => {
    const h = new ResourceHistory();
    h.add(sample(5));
    h.add(sample(5));
    h.add(sample(3));
    expect(h.size).toBe(1);
  });

  it('round-trips through its stored form and drops malformed rows', () => {
    const h = new ResourceHistory(10, 4, 5000);
    for (let i = 0; i < 60; i++) h.add(sample(i));
    const stored = JSON.parse(JSON.stringify(h.toJSON())) as ReturnType<ResourceHistory['toJSON']>;
    const back = ResourceHistory.fromJSON(stored);
    expect(back.samples()).toEqual(h.samples());
    const bad = ResourceHistory.fromJSON({
      coarseMs: 10_000,
      coarse: [[1, 2]],
      fine: [[T0, 1, 2, 3, 4, 5, 6, 7], 'x'],
    });
    expect(bad.samples()).toEqual([{ t: T0, cpu: 1, mem: 2, rx: 3, tx: 4, rd: 5, wr: 6, pids: 7 }]);
    expect(ResourceHistory.fromJSON(undefined).size).toBe(0);
  });
});
