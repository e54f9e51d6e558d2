import { describe, expect, it } from 'vitest';
import type { ResourceSample, TaskResources } from '../../../../contract/dto.js';
import {
  formatBytesIec,
  formatPercent,
  MAX_LIVE_POINTS,
  mergeLiveSamples,
  percentOfLimit,
  taskLimits,
  taskSeries,
} from './resource-model.js';

const s = (t: number, over: Partial<ResourceSample> = {}): ResourceSample => ({
  t,
  cpu: 10,
  mem: 100,
  rx: 5,
  tx: 1,
  rd: 0,
  wr: 0,
  pids: 1,
  ...over,
});

function res(over: Partial<TaskResources> = {}): TaskResources {
  return {
    taskId: 't1',
    sharedNetwork: false,
    containers: [
      { container: 'a', samples: [s(1000), s(2000)], live: true, cpuLimitCores: 0.5, memoryLimitBytes: 64 },
      { container: 'b', samples: [s(1200), s(2100)], live: true, cpuLimitCores: 0.25, memoryLimitBytes: 32 },
    ],
    ...over,
  };
}

describe('resource model', () => {
  it('appends only newer pushed samples, for the right task and container', () => {
    const r = res();
    const next = mergeLiveSamples(r, [
      { taskId: 't1', container: 'a', samples: [s(2000), s(3000)] },
      { taskId: 'other', container: 'b', samples: [s(9000)] },
    ]);
    expect(next.containers[0]!.samples.map((x) => x.t)).toEqual([1000, 2000, 3000]);
    expect(next.containers[1]).toBe(r.containers[1]);
    expect(mergeLiveSamples(r, [{ taskId: 't1', container: 'a', samples: [s(1500)] }])).toBe(r);
  });

  it('keeps a bounded number of points between fetches', () => {
    const r = res();
    const many = Array.from({ length: MAX_LIVE_POINTS + 50 }, (_, i) => s(10_000 + i * 1000));
    const next = mergeLiveSamples(r, [{ taskId: 't1', container: 'a', samples: many }]);
    expect(next.containers[0]!.samples).toHaveLength(MAX_LIVE_POINTS);
    expect(next.containers[0]!.samples.at(-1)!.t).toBe(many.at(-1)!.t);
  });

  it('sums containers per second for the task; awsvpc network is the shared namespace, not a sum', () => {
    const bridge = taskSeries(res());
    expect(bridge.map((x) => x.t)).toEqual([1000, 2000]);
    expect(bridge[1]).toMatchObject({ cpu: 20, mem: 200, rx: 10, pids: 2 });
    const awsvpc = taskSeries(res({ sharedNetwork: true }));
    expect(awsvpc[1]).toMatchObject({ mem: 200, rx: 5, tx: 1 });
  });

  it('does not count a container after its samples end', () => {
    const r = res({
      containers: [
        { container: 'a', samples: [s(1000), s(2000)], live: false },
        { container: 'b', samples: [s(1000), s(2000), s(3000), s(10_000)], live: true },
      ],
    });
    const out = taskSeries(r);
    expect(out.find((x) => x.t === 10_000)).toMatchObject({ mem: 100 });
  });

  it('task limits: its own, else the sum of every container’s; CPU % of limit', () => {
    expect(taskLimits(res())).toEqual({ cpuLimitCores: 0.75, memoryLimitBytes: 96 });
    expect(taskLimits(res({ cpuLimitCores: 1, memoryLimitBytes: 512 }))).toEqual({
      cpuLimitCores: 1,
      memoryLimitBytes: 512,
    });
    const partial = res();
    expect(
      taskLimits({
        ...partial,
        containers: [partial.containers[0]!, { container: 'c', samples: [], live: false }],
      }),
    ).toEqual({});
    expect(percentOfLimit(25, 0.5)).toBe(50);
    expect(percentOfLimit(25, undefined)).toBeUndefined();
  });

  it('formats bytes in binary units and percentages', () => {
    expect(formatBytesIec(12 * 1024 * 1024)).toBe('12.0 MiB');
    expect(formatBytesIec(512)).toBe('512 B');
    expect(formatBytesIec(300 * 1024 * 1024)).toBe('300 MiB');
    expect(formatPercent(4.718)).toBe('4.72 %');
    expect(formatPercent(52.34)).toBe('52.3 %');
  });
});
