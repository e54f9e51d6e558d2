import { describe, expect, it } from 'vitest';
import { createLinkCodes } from './link-codes.js';

describe('link codes', () => {
  it('work once', () => {
    const codes = createLinkCodes({ now: () => 0 });
    const code = codes.issue();
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(codes.redeem(code)).toBe(true);
    expect(codes.redeem(code)).toBe(false);
  });

  it('expire after at most a minute, even when asked for longer', () => {
    let t = 1_000;
    const codes = createLinkCodes({ now: () => t, ttlMs: 10 * 60_000 });
    const late = codes.issue();
    const inTime = codes.issue();
    t += 59_999;
    expect(codes.redeem(inTime)).toBe(true);
    t += 1;
    expect(codes.redeem(late)).toBe(false);
  });

  it('honour a shorter lifetime', () => {
    let t = 0;
    const codes = createLinkCodes({ now: () => t, ttlMs: 5_000 });
    const code = codes.issue();
    t = 5_000;
    expect(codes.redeem(code)).toBe(false);
  });

  it('refuse unknown, empty and near-miss codes, and leave the real one usable', () => {
    const codes = createLinkCodes({ now: () => 0 });
    const code = codes.issue();
    expect(codes.redeem('')).toBe(false);
    expect(codes.redeem(`${code}x`)).toBe(false);
    expect(codes.redeem(code.slice(1))).toBe(false);
    expect(codes.redeem(code)).toBe(true);
  });

  it('keep several outstanding codes independent, dropping the oldest past the cap', () => {
    const codes = createLinkCodes({ now: () => 0, max: 2 });
    const first = codes.issue();
    const second = codes.issue();
    const third = codes.issue();
    expect(codes.redeem(first)).toBe(false);
    expect(codes.redeem(third)).toBe(true);
    expect(codes.redeem(second)).toBe(true);
  });
});
