import { describe, expect, it } from 'vitest';
import { realCentring, realOf, scaleOf, scrollOf, windowAt } from './virtual-window.js';

describe('virtual window', () => {
  it('below the cap: one scroll pixel is one row pixel', () => {
    const g = { count: 1000, viewport: 400 };
    expect(scaleOf(g)).toEqual({ virtualHeight: 20_000, maxScroll: 19_600, maxReal: 19_600 });
    expect(windowAt(g, 0, 2)).toEqual({ first: 0, last: 22, offsetY: 0 });
    expect(windowAt(g, 1010, 2)).toEqual({ first: 48, last: 73, offsetY: 960 });
    // The bottom: the last row is drawn, and nothing past the end.
    expect(windowAt(g, 19_600, 2)).toEqual({ first: 978, last: 1000, offsetY: 19_560 });
  });

  it('above the cap: the content stays at the cap and scroll positions map onto rows', () => {
    const g = { count: 1_000_000, viewport: 400, maxPx: 1_000_400 };
    const s = scaleOf(g);
    expect(s.virtualHeight).toBe(1_000_400);
    expect(s.maxScroll).toBe(1_000_000);
    expect(s.maxReal).toBe(19_999_600);
    // The bottom shows the last rows, drawn inside the content (not 20 M px down).
    const bottom = windowAt(g, s.maxScroll, 0);
    expect(bottom.last).toBe(1_000_000);
    expect(bottom.first).toBe(999_980);
    expect(bottom.offsetY).toBe(1_000_000);
    // Halfway scrolls halfway through the rows; the mapping round-trips.
    expect(windowAt(g, 500_000, 0).first).toBe(Math.floor(9_999_800 / 20));
    expect(scrollOf(s, realOf(s, 123_456))).toBeCloseTo(123_456, 6);
  });

  it('centres a row, within bounds', () => {
    const g = { count: 1000, viewport: 400 };
    expect(realCentring(g, 500)).toBe(500 * 20 - 200 + 10);
    expect(realCentring(g, 0)).toBe(0);
    expect(realCentring(g, 999)).toBe(19_600);
  });

  it('an empty or short list draws what there is', () => {
    expect(windowAt({ count: 0, viewport: 400 }, 0)).toEqual({ first: 0, last: 0, offsetY: 0 });
    expect(windowAt({ count: 3, viewport: 400 }, 50)).toEqual({ first: 0, last: 3, offsetY: 0 });
  });
});
