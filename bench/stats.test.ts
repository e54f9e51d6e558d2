import { describe, expect, test } from 'vitest';
import { median, percentile, round, summarize } from './stats.js';

describe('percentile', () => {
  test('interpolates between closest ranks', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 90)).toBe(46);
    expect(percentile([5, 1, 4, 2, 3], 0)).toBe(1);
    expect(percentile([5, 1, 4, 2, 3], 100)).toBe(5);
  });

  test('does not reorder its input', () => {
    const xs = [3, 1, 2];
    percentile(xs, 50);
    expect(xs).toEqual([3, 1, 2]);
  });

  test('single value and empty sample', () => {
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  test('rejects a p outside 0..100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], NaN)).toThrow(RangeError);
  });
});

describe('median and summarize', () => {
  test('odd and even counts', () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  test('summary fields', () => {
    expect(summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({
      n: 10,
      median: 5.5,
      p90: 9.1,
      min: 1,
      max: 10,
    });
    expect(summarize([]).n).toBe(0);
  });

  test('round', () => {
    expect(round(1.26, 1)).toBe(1.3);
    expect(round(2.5, 0)).toBe(3);
  });
});
