/**
 * What the long frames were: each of the longest split by its own timing (script, rendering) and
 * by what the CPU sampler saw meanwhile (the renderer main thread running, runnable without a core,
 * or asleep; the machine's busy cores; server and dockerd CPU), plus the same totals over all long
 * frames and over the whole stream. Pure: numbers in, text and JSON out.
 */
import type { Sample } from './cpu-sampler.js';
import { deltaOver } from './cpu-sampler.js';
import type { FrameBreakdown } from './page-probes.js';

/** Where one window's wall time went, from the sampled counters (ms; NaN when not sampled). */
export interface CpuSplit {
  readonly wallMs: number;
  /** Renderer main thread on a CPU. */
  readonly mainRunMs: number;
  /** Renderer main thread runnable but waiting for a core (run-queue delay). */
  readonly mainWaitMs: number;
  /** The rest: the main thread was asleep (idle, or waiting for another thread). */
  readonly mainSleepMs: number;
  readonly compositorRunMs: number;
  readonly compositorWaitMs: number;
  /** The renderer's other threads (log worker, raster, IO) waiting for a core, summed. */
  readonly rendererOtherWaitMs: number;
  /** The GPU process's display compositor thread waiting for a core. */
  readonly vizWaitMs: number;
  /** CPU ms of each process over the window (10 ms resolution). */
  readonly rendererMs: number;
  readonly gpuMs: number;
  readonly browserMs: number;
  readonly networkMs: number;
  readonly serverMs: number;
  readonly dockerdMs: number;
  /** Busy share of all cores over the window (0–1). */
  readonly machineBusy: number;
}

export function cpuSplit(
  samples: readonly Sample[],
  names: readonly string[],
  windows: readonly (readonly [number, number])[],
  cores: number,
): CpuSplit {
  const sum = (name: string) => {
    const k = names.indexOf(name);
    if (k < 0) return NaN;
    return windows.reduce((acc, [a, b]) => acc + deltaOver(samples, k, a, b), 0);
  };
  const wallMs = windows.reduce((acc, [a, b]) => acc + (b - a), 0);
  const mainRunMs = sum('mainRun');
  const mainWaitMs = sum('mainWait');
  return {
    wallMs,
    mainRunMs,
    mainWaitMs,
    mainSleepMs: Math.max(0, wallMs - mainRunMs - mainWaitMs),
    compositorRunMs: sum('compositorRun'),
    compositorWaitMs: sum('compositorWait'),
    vizWaitMs: sum('vizWait'),
    rendererOtherWaitMs: sum('rendererOtherWait'),
    rendererMs: sum('renderer'),
    gpuMs: sum('gpu'),
    browserMs: sum('browser'),
    networkMs: sum('network'),
    serverMs: sum('server'),
    dockerdMs: sum('dockerd'),
    machineBusy: wallMs > 0 ? sum('machine') / (wallMs * cores) : NaN,
  };
}

const r = (x: number) => (Number.isFinite(x) ? Math.round(x) : 'n/a');

/** One line per split: where the wall time went. */
export function describeSplit(s: CpuSplit): string {
  return (
    `main thread ran ${r(s.mainRunMs)} ms, waited for a core ${r(s.mainWaitMs)} ms, slept ${r(s.mainSleepMs)} ms` +
    ` (of ${r(s.wallMs)} ms); compositor ran ${r(s.compositorRunMs)} / waited ${r(s.compositorWaitMs)} ms;` +
    ` other renderer threads waited ${r(s.rendererOtherWaitMs)} ms; display compositor waited ${r(s.vizWaitMs)} ms;` +
    ` CPU: renderer ${r(s.rendererMs)}, gpu ${r(s.gpuMs)}, browser ${r(s.browserMs)}, network ${r(s.networkMs)}, server ${r(s.serverMs)}, dockerd ${r(s.dockerdMs)} ms;` +
    ` machine ${Number.isFinite(s.machineBusy) ? Math.round(s.machineBusy * 100) : 'n/a'}% busy`
  );
}

export interface WorstFrame extends FrameBreakdown {
  readonly cpu: CpuSplit;
}

/** Text for the longest frames, one paragraph each. */
export function describeWorst(frames: readonly WorstFrame[]): string {
  return frames
    .map(
      (f) =>
        `  ${f.duration.toFixed(1)} ms frame: scripts ${f.scriptMs} ms, other work/idle before rendering` +
        ` ${Math.max(0, f.beforeRenderMs - f.scriptMs).toFixed(1)} ms, rAF ${f.rafMs} ms,` +
        ` style+layout+paint ${f.styleLayoutPaintMs} ms\n    ${describeSplit(f.cpu)}` +
        f.scripts.map((s) => `\n    script: ${s}`).join(''),
    )
    .join('\n');
}
