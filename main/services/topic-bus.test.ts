import { describe, expect, it, vi } from 'vitest';
import type { LogLine } from '../../contract/dto.js';
import { createTopicBus, MAX_LOG_BATCH } from './topic-bus.js';

const line = (seq: number): LogLine => ({
  taskId: 't',
  container: 'c',
  stream: 'stdout',
  time: '',
  text: `l${seq}`,
  seq,
});

describe('topic bus', () => {
  it('batches log lines into one message per window', () => {
    vi.useFakeTimers();
    const bus = createTopicBus(50);
    const got: (readonly LogLine[])[] = [];
    bus.subscribe('logs:lines', (lines) => got.push(lines));
    for (let i = 0; i < 100; i++) bus.queueLogs([line(i)]);
    expect(got).toHaveLength(0);
    vi.advanceTimersByTime(50);
    expect(got).toHaveLength(1);
    expect(got[0]).toHaveLength(100);
    vi.useRealTimers();
  });

  it('splits a flood into messages of at most MAX_LOG_BATCH lines, in order', () => {
    const bus = createTopicBus(50);
    const got: (readonly LogLine[])[] = [];
    bus.subscribe('logs:lines', (lines) => got.push(lines));
    bus.queueLogs(Array.from({ length: MAX_LOG_BATCH * 2 + 5 }, (_, i) => line(i)));
    bus.flush();
    expect(got.map((b) => b.length)).toEqual([MAX_LOG_BATCH, MAX_LOG_BATCH, 5]);
    expect(got.flat().map((l) => l.seq)).toEqual(Array.from({ length: MAX_LOG_BATCH * 2 + 5 }, (_, i) => i));
  });

  it('keeps only the latest pull progress per layer in a batch', () => {
    const bus = createTopicBus(50);
    const got: unknown[] = [];
    bus.subscribe('pull:progress', (p) => got.push(p));
    const p = { taskId: 't', container: 'c', image: 'i', layer: 'l1', status: 'Downloading' };
    bus.queuePull({ ...p, current: 1, total: 10 });
    bus.queuePull({ ...p, current: 5, total: 10 });
    bus.flush();
    expect(got).toEqual([[{ ...p, current: 5, total: 10 }]]);
  });

  it('unsubscribes, and a throwing listener does not stop the others', () => {
    const bus = createTopicBus();
    const seen: string[] = [];
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    bus.subscribe('docker:status', () => {
      throw new Error('bad listener');
    });
    const off = bus.subscribe('docker:status', (s) => seen.push(s.endpoint));
    bus.publish('docker:status', { connected: true, endpoint: 'a', source: 'default' });
    off();
    bus.publish('docker:status', { connected: true, endpoint: 'b', source: 'default' });
    expect(seen).toEqual(['a']);
    err.mockRestore();
  });
});
