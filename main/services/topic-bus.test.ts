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

  it('batches resource samples into one message per stats window, grouped per container', () => {
    vi.useFakeTimers();
    const bus = createTopicBus(50, 1000);
    const got: unknown[] = [];
    bus.subscribe('stats:samples', (b) => got.push(b));
    const s = (t: number) => ({ t, cpu: 1, mem: 2, rx: 0, tx: 0, rd: 0, wr: 0, pids: 1 });
    bus.queueStats('t1', 'a', s(1));
    bus.queueStats('t1', 'b', s(1));
    vi.advanceTimersByTime(500);
    bus.queueStats('t1', 'a', s(2));
    expect(got).toHaveLength(0);
    vi.advanceTimersByTime(500);
    expect(got).toEqual([
      [
        { taskId: 't1', container: 'a', samples: [s(1), s(2)] },
        { taskId: 't1', container: 'b', samples: [s(1)] },
      ],
    ]);
    vi.useRealTimers();
  });

  it('drops resource samples when nobody listens (no timer, nothing queued)', () => {
    vi.useFakeTimers();
    const bus = createTopicBus(50, 1000);
    bus.queueStats('t1', 'a', { t: 1, cpu: 1, mem: 2, rx: 0, tx: 0, rd: 0, wr: 0, pids: 1 });
    expect(vi.getTimerCount()).toBe(0);
    const got: unknown[] = [];
    bus.subscribe('stats:samples', (b) => got.push(b));
    bus.flush();
    expect(got).toEqual([]);
    vi.useRealTimers();
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
