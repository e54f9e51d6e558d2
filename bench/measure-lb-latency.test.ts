import { describe, expect, it } from 'vitest';
import { formatLbLatency, measureLbLatency } from './measure-lb-latency.js';

describe('measureLbLatency', () => {
  it('measures both paths in one run and reports the ratio', async () => {
    const r = await measureLbLatency(20, 2);
    expect(r.directMs).toHaveLength(20);
    expect(r.viaLbMs).toHaveLength(20);
    for (const x of [...r.directMs, ...r.viaLbMs]) expect(x).toBeGreaterThan(0);
    expect(r.ratio).toBeGreaterThan(0);
    expect(r.viaLb.p95).toBeGreaterThanOrEqual(r.viaLb.median);
    expect(formatLbLatency(r)).toMatch(/ratio \(median via LB \/ direct\): [\d.]+×/);
  });
});
