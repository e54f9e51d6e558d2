/**
 * Pure arithmetic on Docker's stats JSON (one message of `GET /containers/<id>/stats?stream=1`):
 * CPU % the way the docker CLI computes it, memory less inactive page cache, block I/O and
 * network totals, the per-second rates the ECS agent adds as `network_rate_stats`, and the
 * compact sample the history keeps.
 */
import type { ResourceSample } from '../../contract/dto.js';

/** The parts of Docker's stats JSON read here (cgroup v1 and v2 shapes). */
export interface DockerStats {
  readonly read: string;
  readonly preread?: string;
  readonly id?: string;
  readonly name?: string;
  readonly pids_stats?: { readonly current?: number; readonly limit?: number };
  readonly blkio_stats?: {
    readonly io_service_bytes_recursive?: readonly { readonly op: string; readonly value: number }[] | null;
  };
  readonly cpu_stats?: CpuStats;
  readonly precpu_stats?: CpuStats;
  readonly memory_stats?: {
    readonly usage?: number;
    readonly max_usage?: number;
    readonly limit?: number;
    readonly stats?: Readonly<Record<string, number>>;
  };
  readonly networks?: Readonly<Record<string, NetworkCounters>>;
}

interface CpuStats {
  readonly cpu_usage?: { readonly total_usage?: number; readonly percpu_usage?: readonly number[] | null };
  readonly system_cpu_usage?: number;
  readonly online_cpus?: number;
}

interface NetworkCounters {
  readonly rx_bytes: number;
  readonly tx_bytes: number;
}

/** The agent's `network_rate_stats` (amazon-ecs-agent `NetworkStatsPerSec`). */
export interface NetworkRateStats {
  readonly rx_bytes_per_sec: number;
  readonly tx_bytes_per_sec: number;
}

/** What one stats message boils down to, with the totals the next message's rates need. */
export interface StatsPoint {
  readonly timeMs: number;
  readonly sample: ResourceSample;
  /** Cumulative counters (rates are their deltas over time). */
  readonly totals: { readonly rx: number; readonly tx: number; readonly rd: number; readonly wr: number };
  readonly hasNetwork: boolean;
  /** Docker's `network_rate_stats` equivalent, once two messages exist (agent: omitted before). */
  readonly networkRate?: NetworkRateStats;
  readonly onlineCpus?: number;
}

/** Docker's zero time: what a stream sends for a container that has exited. */
export function isEmptyStats(s: DockerStats): boolean {
  return !s.read || s.read.startsWith('0001-01-01') || !s.cpu_stats?.cpu_usage;
}

/** CPUs Docker counts as online (older daemons: the length of percpu_usage). */
export function onlineCpus(s: DockerStats): number | undefined {
  return s.cpu_stats?.online_cpus || s.cpu_stats?.cpu_usage?.percpu_usage?.length || undefined;
}

/** CPU % of one core, as `docker stats`: cpu_delta / system_delta × online_cpus × 100 (0 when unknown). */
export function cpuPercentOfCore(s: DockerStats): number {
  const cpuDelta = (s.cpu_stats?.cpu_usage?.total_usage ?? 0) - (s.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (s.cpu_stats?.system_cpu_usage ?? 0) - (s.precpu_stats?.system_cpu_usage ?? 0);
  // The first message of a stream has no precpu: nothing to compare with yet.
  if (!s.precpu_stats?.system_cpu_usage || systemDelta <= 0 || cpuDelta < 0) return 0;
  return (cpuDelta / systemDelta) * (onlineCpus(s) ?? 1) * 100;
}

/** Memory in use as `docker stats` shows it: usage less inactive page cache (cgroup v1 and v2). */
export function memoryUsed(s: DockerStats): number {
  const m = s.memory_stats;
  const usage = m?.usage ?? 0;
  const inactive = m?.stats?.total_inactive_file ?? m?.stats?.inactive_file;
  return inactive !== undefined && inactive < usage ? usage - inactive : usage;
}

/** Cumulative block I/O bytes read and written (v1 says `Read`, v2 `read`). */
export function blockTotals(s: DockerStats): { rd: number; wr: number } {
  let rd = 0;
  let wr = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = e.op.toLowerCase();
    if (op === 'read') rd += e.value;
    else if (op === 'write') wr += e.value;
  }
  return { rd, wr };
}

/** Cumulative network bytes over every interface (the agent sums them the same way). */
export function networkTotals(s: DockerStats): { rx: number; tx: number; present: boolean } {
  let rx = 0;
  let tx = 0;
  const nets = Object.values(s.networks ?? {});
  for (const n of nets) {
    rx += n.rx_bytes;
    tx += n.tx_bytes;
  }
  return { rx, tx, present: nets.length > 0 };
}

/** Bytes per second between two cumulative readings; a counter reset (restart) counts as 0. */
export function ratePerSecond(before: number, after: number, elapsedMs: number): number {
  if (elapsedMs <= 0 || after < before) return 0;
  return ((after - before) * 1000) / elapsedMs;
}

/** Reduces one stats message, given the previous point of the same stream (for rates). */
export function toStatsPoint(s: DockerStats, prev: StatsPoint | undefined): StatsPoint {
  const timeMs = Date.parse(s.read);
  const net = networkTotals(s);
  const blk = blockTotals(s);
  const elapsed = prev ? timeMs - prev.timeMs : 0;
  const rate = (k: 'rx' | 'tx' | 'rd' | 'wr', now: number) =>
    prev ? ratePerSecond(prev.totals[k], now, elapsed) : 0;
  const rx = rate('rx', net.rx);
  const tx = rate('tx', net.tx);
  const cpus = onlineCpus(s);
  return {
    timeMs,
    sample: {
      t: timeMs,
      cpu: round2(cpuPercentOfCore(s)),
      mem: memoryUsed(s),
      rx: Math.round(rx),
      tx: Math.round(tx),
      rd: Math.round(rate('rd', blk.rd)),
      wr: Math.round(rate('wr', blk.wr)),
      pids: s.pids_stats?.current ?? 0,
    },
    totals: { rx: net.rx, tx: net.tx, rd: blk.rd, wr: blk.wr },
    hasNetwork: net.present,
    // As the agent: a rate needs two readings, and a container with no network has none.
    ...(prev && net.present && elapsed > 0
      ? { networkRate: { rx_bytes_per_sec: rx, tx_bytes_per_sec: tx } }
      : {}),
    ...(cpus !== undefined ? { onlineCpus: cpus } : {}),
  };
}

/** The metadata endpoint's stats document: Docker's JSON plus the agent's `network_rate_stats`. */
export function agentStatsDocument(raw: DockerStats, point: StatsPoint | undefined): Record<string, unknown> {
  return point?.networkRate ? { ...raw, network_rate_stats: point.networkRate } : { ...raw };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
