/**
 * Pure model of the Resources tab: live samples merged into the fetched history (bounded), the
 * task's series summed from its containers, CPU as % of a core and of the limit, and the number
 * formats the charts use.
 */
import type {
  ContainerResources,
  ResourceSample,
  ResourceSamples,
  TaskResources,
} from '../../../../contract/dto.js';

/** Most points a container keeps in the renderer between fetches (the engine keeps the full history). */
export const MAX_LIVE_POINTS = 1800;

/** Appends pushed samples newer than what the container has; returns the same object if nothing changed. */
export function mergeLiveSamples(res: TaskResources, batch: readonly ResourceSamples[]): TaskResources {
  let changed = false;
  const containers = res.containers.map((c) => {
    const mine = batch.filter((b) => b.taskId === res.taskId && b.container === c.container);
    if (mine.length === 0) return c;
    const last = c.samples.at(-1)?.t ?? -Infinity;
    const added = mine.flatMap((b) => b.samples).filter((s) => s.t > last);
    if (added.length === 0) return c;
    changed = true;
    const samples = [...c.samples, ...added];
    return {
      ...c,
      live: true,
      samples: samples.length > MAX_LIVE_POINTS ? samples.slice(samples.length - MAX_LIVE_POINTS) : samples,
    };
  });
  return changed ? { ...res, containers } : res;
}

/** How long after its last sample a container still counts toward the task's sum. */
function holdMs(samples: readonly ResourceSample[], i: number): number {
  const next = samples[i + 1];
  return next ? next.t - samples[i]!.t : 2500;
}

/**
 * The task's series: at every second any container reported, the sum over containers of their
 * latest point (held until their next one). Memory and PIDs add up; network adds up too except
 * in awsvpc, where every container reports the same namespace (then the largest is the task's).
 */
export function taskSeries(res: TaskResources): ResourceSample[] {
  const lists = res.containers.map((c) => c.samples).filter((s) => s.length > 0);
  const times = [...new Set(lists.flatMap((l) => l.map((s) => Math.floor(s.t / 1000) * 1000)))].sort(
    (a, b) => a - b,
  );
  const cursor = lists.map(() => -1);
  const out: ResourceSample[] = [];
  for (const t of times) {
    let cpu = 0;
    let mem = 0;
    let rx = 0;
    let tx = 0;
    let rd = 0;
    let wr = 0;
    let pids = 0;
    let any = false;
    lists.forEach((l, k) => {
      let i = cursor[k]!;
      while (i + 1 < l.length && Math.floor(l[i + 1]!.t / 1000) * 1000 <= t) i++;
      cursor[k] = i;
      const s = l[i];
      if (!s || t - s.t > holdMs(l, i)) return;
      any = true;
      cpu += s.cpu;
      mem += s.mem;
      rd += s.rd;
      wr += s.wr;
      pids += s.pids;
      rx = res.sharedNetwork ? Math.max(rx, s.rx) : rx + s.rx;
      tx = res.sharedNetwork ? Math.max(tx, s.tx) : tx + s.tx;
    });
    if (any) out.push({ t, cpu: Math.round(cpu * 100) / 100, mem, rx, tx, rd, wr, pids });
  }
  return out;
}

/** The task's limits: its own cpu/memory, else the sum of its containers' when every one has one. */
export function taskLimits(res: TaskResources): { cpuLimitCores?: number; memoryLimitBytes?: number } {
  const sum = (pick: (c: ContainerResources) => number | undefined) => {
    const vals = res.containers.map(pick);
    return vals.every((v) => v !== undefined) && vals.length > 0
      ? vals.reduce((a, b) => a! + b!, 0)
      : undefined;
  };
  const cpu = res.cpuLimitCores ?? sum((c) => c.cpuLimitCores);
  const mem = res.memoryLimitBytes ?? sum((c) => c.memoryLimitBytes);
  return {
    ...(cpu !== undefined ? { cpuLimitCores: cpu } : {}),
    ...(mem !== undefined ? { memoryLimitBytes: mem } : {}),
  };
}

/** CPU % of the limit (cores); undefined without a limit. */
export function percentOfLimit(cpuPercentOfCore: number, limitCores: number | undefined): number | undefined {
  if (!limitCores || limitCores <= 0) return undefined;
  return cpuPercentOfCore / limitCores;
}

/** 12 MiB → "12.0 MiB"; binary units, as Docker and ECS count memory. */
export function formatBytesIec(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const text = u === 0 ? String(Math.round(v)) : v.toFixed(v >= 100 ? 0 : 1);
  return `${n < 0 ? '-' : ''}${text} ${units[u]}`;
}

/** A rate in bytes per second → "1.2 KiB/s". */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytesIec(bytesPerSecond)}/s`;
}

/** "12.5 %", "0.31 %" (small values keep two decimals). */
export function formatPercent(p: number): string {
  return `${p >= 10 ? p.toFixed(1) : p.toFixed(2)} %`;
}
