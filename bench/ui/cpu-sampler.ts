/**
 * Who had the CPU during a long frame (Linux /proc): samples cumulative counters every few ms — the
 * renderer main thread's run time and run-queue wait (schedstat, ns precision), the compositor
 * thread's, CPU time of the renderer, GPU, server and dockerd processes, and the machine's busy
 * time — so a frame can be split into "the page's main thread worked", "it was runnable but had no
 * core" and "it slept (waiting for another thread or process)". Pure math below; reads at the end.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** A cumulative counter in ms (undefined when it cannot be read, e.g. the process exited). */
export interface Counter {
  readonly name: string;
  read(): number | undefined;
}

/** One reading of every counter at epoch time `t` (ms). */
export interface Sample {
  readonly t: number;
  readonly values: readonly (number | undefined)[];
}

/** Counter `k` at time `t`, linearly interpolated between the samples around it. */
export function valueAt(samples: readonly Sample[], k: number, t: number): number | undefined {
  let lo = 0;
  let hi = samples.length - 1;
  if (hi < 0 || t < samples[0]!.t || t > samples[hi]!.t) return undefined;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (samples[mid]!.t <= t) lo = mid;
    else hi = mid;
  }
  const a = samples[lo]!;
  const b = samples[hi]!;
  const va = a.values[k];
  const vb = b.values[k];
  if (va === undefined || vb === undefined) return undefined;
  if (b.t === a.t) return va;
  return va + ((vb - va) * (t - a.t)) / (b.t - a.t);
}

/** How much counter `k` grew over `[from, to]` (ms); NaN when the window is not covered. */
export function deltaOver(samples: readonly Sample[], k: number, from: number, to: number): number {
  const a = valueAt(samples, k, from);
  const b = valueAt(samples, k, to);
  return a === undefined || b === undefined ? NaN : b - a;
}

export class CpuSampler {
  readonly samples: Sample[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly counters: readonly Counter[],
    private readonly everyMs = 10,
  ) {}

  start(): void {
    this.take();
    this.timer = setInterval(() => this.take(), this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.take();
  }

  /** Index of the counter named `name` (-1 when absent). */
  index(name: string): number {
    return this.counters.findIndex((c) => c.name === name);
  }

  /** Every counter's growth over `[from, to]` (epoch ms), by name. */
  over(from: number, to: number): Record<string, number> {
    return Object.fromEntries(this.counters.map((c, k) => [c.name, deltaOver(this.samples, k, from, to)]));
  }

  private take(): void {
    this.samples.push({ t: performance.timeOrigin + performance.now(), values: this.counters.map(safeRead) });
  }
}

function safeRead(c: Counter): number | undefined {
  try {
    return c.read();
  } catch {
    return undefined;
  }
}

/** Clock ticks per second for /proc times (USER_HZ: 100 on Linux). */
const TICK_MS = 10;

/** A thread's time on a CPU and waiting on a run queue (ms), from `/proc/<pid>/task/<tid>/schedstat`. */
function schedstat(pid: number, tid: number, field: 0 | 1): number {
  const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
  return Number(field === 0 ? run : wait) / 1e6;
}

/** A thread's run-queue wait (ms); 0 when it has just exited. */
function threadWait(pid: number, tid: number): number {
  try {
    return schedstat(pid, tid, 1);
  } catch {
    return 0;
  }
}

/** A process's user + system CPU time (ms), from `/proc/<pid>/stat` (10 ms resolution). */
function processCpu(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) * TICK_MS;
}

/** The machine's non-idle CPU time over all cores (ms), from `/proc/stat`. */
function machineBusy(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return (v[0]! + v[1]! + v[2]! + v[5]! + v[6]! + v[7]!) * TICK_MS;
}

/** The thread of `pid` whose name is `comm` (first match), if any. */
export function threadNamed(pid: number, comm: string): number | undefined {
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    if (name === comm) return Number(tid);
  }
  return undefined;
}

export interface SampledProcesses {
  readonly renderer: number;
  readonly gpu?: number | undefined;
  readonly browser?: number | undefined;
  /** Chromium's network service process (it receives the log socket). */
  readonly network?: number | undefined;
  readonly server?: number | undefined;
  readonly dockerd?: number | undefined;
}

/** The counters the bench samples (missing processes are left out). */
export function benchCounters(p: SampledProcesses): Counter[] {
  const out: Counter[] = [
    { name: 'mainRun', read: () => schedstat(p.renderer, p.renderer, 0) },
    { name: 'mainWait', read: () => schedstat(p.renderer, p.renderer, 1) },
  ];
  const compositor = threadNamed(p.renderer, 'Compositor');
  if (compositor !== undefined) {
    out.push({ name: 'compositorRun', read: () => schedstat(p.renderer, compositor, 0) });
    out.push({ name: 'compositorWait', read: () => schedstat(p.renderer, compositor, 1) });
  }
  // The renderer's other threads (the log worker, raster workers, IO): a frame also waits for
  // raster to finish before the next one can begin.
  const skip = new Set([p.renderer, compositor]);
  out.push({
    name: 'rendererOtherWait',
    read: () =>
      readdirSync(`/proc/${p.renderer}/task`)
        .map(Number)
        .filter((tid) => !skip.has(tid))
        .reduce((sum, tid) => sum + threadWait(p.renderer, tid), 0),
  });
  out.push({ name: 'renderer', read: () => processCpu(p.renderer) });
  if (p.gpu !== undefined) {
    out.push({ name: 'gpu', read: () => processCpu(p.gpu!) });
    // The display compositor (software compositing with --disable-gpu): a frame waits for it too.
    const viz = threadNamed(p.gpu, 'VizCompositorTh');
    if (viz !== undefined) out.push({ name: 'vizWait', read: () => schedstat(p.gpu!, viz, 1) });
  }
  if (p.browser !== undefined) out.push({ name: 'browser', read: () => processCpu(p.browser!) });
  if (p.network !== undefined) out.push({ name: 'network', read: () => processCpu(p.network!) });
  if (p.server !== undefined) out.push({ name: 'server', read: () => processCpu(p.server!) });
  if (p.dockerd !== undefined) out.push({ name: 'dockerd', read: () => processCpu(p.dockerd!) });
  out.push({ name: 'machine', read: machineBusy });
  return out;
}
