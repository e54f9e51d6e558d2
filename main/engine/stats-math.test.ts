import { describe, expect, it } from 'vitest';
import {
  agentStatsDocument,
  blockTotals,
  cpuPercentOfCore,
  isEmptyStats,
  memoryUsed,
  networkTotals,
  ratePerSecond,
  toStatsPoint,
  type DockerStats,
} from './stats-math.js';

/** A stats message in Docker 20.10's cgroup v1 shape. */
function msg(over: {
  read: string;
  total?: number;
  preTotal?: number;
  system?: number;
  preSystem?: number;
  rx?: number;
  tx?: number;
  rd?: number;
  wr?: number;
}): DockerStats {
  return {
    read: over.read,
    preread: '2026-01-01T00:00:00Z',
    id: 'abc',
    pids_stats: { current: 3 },
    blkio_stats: {
      io_service_bytes_recursive: [
        { op: 'Read', value: over.rd ?? 0 },
        { op: 'Write', value: over.wr ?? 0 },
        { op: 'Total', value: (over.rd ?? 0) + (over.wr ?? 0) },
      ],
    },
    cpu_stats: {
      cpu_usage: { total_usage: over.total ?? 0 },
      system_cpu_usage: over.system ?? 0,
      online_cpus: 2,
    },
    precpu_stats: {
      cpu_usage: { total_usage: over.preTotal ?? 0 },
      ...(over.preSystem !== undefined ? { system_cpu_usage: over.preSystem } : {}),
    },
    memory_stats: { usage: 10_000_000, limit: 16_777_216, stats: { total_inactive_file: 2_000_000 } },
    networks: {
      eth0: { rx_bytes: over.rx ?? 0, tx_bytes: over.tx ?? 0 },
      eth1: { rx_bytes: 100, tx_bytes: 0 },
    },
  };
}

describe('stats math', () => {
  it('computes CPU % of a core as the docker CLI does', () => {
    // 0.5 s of CPU over 2 s of system time on 2 CPUs = 50 % of one core.
    const s = msg({
      read: '2026-01-01T00:00:01Z',
      total: 1.5e9,
      preTotal: 1e9,
      system: 12e9,
      preSystem: 10e9,
    });
    expect(cpuPercentOfCore(s)).toBeCloseTo(50, 6);
    // Two busy cores: 200 %.
    const busy = msg({
      read: '2026-01-01T00:00:01Z',
      total: 3e9,
      preTotal: 1e9,
      system: 12e9,
      preSystem: 10e9,
    });
    expect(cpuPercentOfCore(busy)).toBeCloseTo(200, 6);
  });

  it('gives 0 % for a stream’s first message (no precpu) instead of a bogus value', () => {
    expect(cpuPercentOfCore(msg({ read: '2026-01-01T00:00:01Z', total: 5e9, system: 12e9 }))).toBe(0);
  });

  it('reads memory less inactive cache (v1 and v2 keys) and block I/O in either case', () => {
    expect(memoryUsed(msg({ read: 'x' }))).toBe(8_000_000);
    expect(memoryUsed({ read: 'x', memory_stats: { usage: 5, stats: { inactive_file: 2 } } })).toBe(3);
    expect(memoryUsed({ read: 'x', memory_stats: { usage: 5 } })).toBe(5);
    expect(blockTotals(msg({ read: 'x', rd: 7, wr: 9 }))).toEqual({ rd: 7, wr: 9 });
    expect(
      blockTotals({
        read: 'x',
        blkio_stats: {
          io_service_bytes_recursive: [
            { op: 'read', value: 1 },
            { op: 'write', value: 2 },
          ],
        },
      }),
    ).toEqual({ rd: 1, wr: 2 });
    expect(blockTotals({ read: 'x', blkio_stats: { io_service_bytes_recursive: null } })).toEqual({
      rd: 0,
      wr: 0,
    });
  });

  it('sums network counters over every interface', () => {
    expect(networkTotals(msg({ read: 'x', rx: 900, tx: 50 }))).toEqual({ rx: 1000, tx: 50, present: true });
    expect(networkTotals({ read: 'x' })).toEqual({ rx: 0, tx: 0, present: false });
  });

  it('computes per-second rates from deltas; a counter reset is 0, not negative', () => {
    expect(ratePerSecond(1000, 3000, 500)).toBe(4000);
    expect(ratePerSecond(3000, 1000, 1000)).toBe(0);
    expect(ratePerSecond(0, 10, 0)).toBe(0);
  });

  it('adds network_rate_stats (agent field names) once two messages exist', () => {
    const first = toStatsPoint(msg({ read: '2026-01-01T00:00:01Z', rx: 0, tx: 0, rd: 0 }), undefined);
    expect(first.networkRate).toBeUndefined();
    expect(first.sample).toMatchObject({ rx: 0, tx: 0, mem: 8_000_000, pids: 3 });
    const second = toStatsPoint(
      msg({ read: '2026-01-01T00:00:03Z', rx: 4000, tx: 1000, rd: 8192, wr: 2048 }),
      first,
    );
    // 2 s apart: 4000 B more received, 1000 B more sent.
    expect(second.networkRate).toEqual({ rx_bytes_per_sec: 2000, tx_bytes_per_sec: 500 });
    expect(second.sample).toMatchObject({
      t: Date.parse('2026-01-01T00:00:03Z'),
      rx: 2000,
      tx: 500,
      rd: 4096,
      wr: 1024,
    });
    const doc = agentStatsDocument(msg({ read: '2026-01-01T00:00:03Z', rx: 4000, tx: 1000 }), second);
    expect(doc).toMatchObject({
      id: 'abc',
      read: '2026-01-01T00:00:03Z',
      cpu_stats: {},
      memory_stats: {},
      networks: {},
    });
    expect(doc.network_rate_stats).toEqual({ rx_bytes_per_sec: 2000, tx_bytes_per_sec: 500 });
  });

  it('gives no network_rate_stats for a container without networks (host/none)', () => {
    const noNet = { ...msg({ read: '2026-01-01T00:00:01Z' }), networks: undefined };
    const a = toStatsPoint(noNet, undefined);
    const b = toStatsPoint({ ...noNet, read: '2026-01-01T00:00:02Z' }, a);
    expect(b.networkRate).toBeUndefined();
    expect(agentStatsDocument(noNet, b)).not.toHaveProperty('network_rate_stats');
  });

  it('recognises the empty messages Docker streams after the container exits', () => {
    expect(isEmptyStats({ read: '0001-01-01T00:00:00Z', cpu_stats: { cpu_usage: { total_usage: 0 } } })).toBe(
      true,
    );
    expect(isEmptyStats({ read: '2026-01-01T00:00:01Z' })).toBe(true);
    expect(isEmptyStats(msg({ read: '2026-01-01T00:00:01Z' }))).toBe(false);
  });
});
