import { describe, expect, it } from 'vitest';
import { deltaOver, valueAt, type Sample } from './cpu-sampler.js';
import { cpuSplit } from './frame-report.js';

// Counters: mainRun, mainWait, machine (ms, cumulative), sampled every 10 ms.
const samples: Sample[] = [
  { t: 1000, values: [0, 0, 0] },
  { t: 1010, values: [2, 8, 20] },
  { t: 1020, values: [12, 8, 40] },
  { t: 1030, values: [12, 8, 40] },
];
const names = ['mainRun', 'mainWait', 'machine'];

describe('cpu samples', () => {
  it('interpolates a counter between samples and is undefined outside them', () => {
    expect(valueAt(samples, 0, 1015)).toBe(7);
    expect(valueAt(samples, 1, 1005)).toBe(4);
    expect(valueAt(samples, 0, 999)).toBeUndefined();
    expect(deltaOver(samples, 0, 1000, 1030)).toBe(12);
    expect(deltaOver(samples, 0, 990, 1030)).toBeNaN();
  });

  it('splits a frame into main-thread run, run-queue wait and sleep, with machine busy share', () => {
    const s = cpuSplit(samples, names, [[1000, 1030]], 2);
    expect(s.wallMs).toBe(30);
    expect(s.mainRunMs).toBe(12);
    expect(s.mainWaitMs).toBe(8);
    expect(s.mainSleepMs).toBe(10);
    expect(s.machineBusy).toBeCloseTo(40 / 60);
    // Counters that were not sampled are reported as unknown, not zero.
    expect(s.serverMs).toBeNaN();
  });

  it('adds up several windows', () => {
    const s = cpuSplit(
      samples,
      names,
      [
        [1000, 1010],
        [1020, 1030],
      ],
      2,
    );
    expect(s.wallMs).toBe(20);
    expect(s.mainRunMs).toBe(2);
    expect(s.mainWaitMs).toBe(8);
  });
});
