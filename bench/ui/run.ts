/**
 * Logs UI benchmark (`npm run bench:ui`): the built app (`taskdeck web`, real engine and Docker) in
 * Chromium. A container prints 1 000 000 lines into an open, following logs viewer; the bench
 * records every frame meanwhile (long-animation-frame entries and rAF intervals), then times search
 * to the first hit, measures the page's JS heap per 100 000 lines, and checks the container's log on
 * disk against the cap. Prints a table and writes bench/ui-results.json.
 *
 * Env: BENCH_UI_LINES (1000000), CHROMIUM_PATH (/usr/bin/chromium). Build first (`npm run build`).
 */
import { chromium, type CDPSession } from '@playwright/test';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { DEFAULT_LOG_CAP_MB } from '../../contract/dto.js';
import { startServer } from '../../e2e/fixtures/server.js';
import { formatTable, ms, type ResultRow } from '../report.js';
import { percentile, round } from '../stats.js';
import { benchCounters, CpuSampler } from './cpu-sampler.js';
import { cpuSplit, describeSplit, describeWorst, type WorstFrame } from './frame-report.js';
import { describeTraceWindows, startTrace, stopTrace, SYNC_MARK } from './trace.js';
import { startFrameRecorder, stopFrameRecorder, timeSearch, type FrameRecord } from './page-probes.js';

const LINES = Number(process.env['BENCH_UI_LINES']) > 0 ? Number(process.env['BENCH_UI_LINES']) : 1_000_000;
const FRAME_TARGET_MS = 50;
const SEARCH_TARGET_MS = 200;
const MB = 1024 * 1024;
/** BENCH_UI_PROFILE=1: print where the page's main thread spent its time while streaming. */
const PROFILE = process.env['BENCH_UI_PROFILE'] === '1';
/** BENCH_UI_TRACE=1: record a Chrome trace and print what ran in the longest frames (a diagnostic). */
const TRACE = process.env['BENCH_UI_TRACE'] === '1';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** The 15 functions with the most self time in a CPU profile. */
function topSelfTime(profile: CpuProfile): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  for (let i = 0; i < samples.length; i++) {
    const f = byId.get(samples[i]!)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([k, v]) => `  ${v.toFixed(0).padStart(7)} ms  ${k}`)
    .join('\n');
}

const progress = (msg: string) =>
  process.stderr.write(`[bench:ui ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

const definition = {
  family: 'bench-ui-logs',
  networkMode: 'bridge',
  containerDefinitions: [
    {
      name: 'flood',
      image: 'taskdeck-test/busybox:latest',
      essential: true,
      // ECS requires memory or memoryReservation without task memory (a soft reservation: no limit).
      memoryReservation: 64,
      // A pause first: the viewer is open and following before the first line arrives.
      command: ['sh', '-c', `trap "exit 143" TERM; sleep 3; seq 1 ${LINES}; while true; do sleep 1; done`],
      stopTimeout: 2,
    },
  ],
};

/** The page's JS heap after a GC, plus array-buffer backing stores (typed arrays live there). */
async function heapMB(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  return (usage.usedSize + (usage.backingStorageSize ?? 0)) / MB;
}

/** Chromium's page metrics (seconds): main-thread CPU, renderer CPU, main-thread task wall time. */
async function pageMetrics(
  cdp: CDPSession,
): Promise<Record<'ThreadTime' | 'ProcessTime' | 'TaskDuration', number>> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return {
    ThreadTime: get('ThreadTime'),
    ProcessTime: get('ProcessTime'),
    TaskDuration: get('TaskDuration'),
  };
}

/** The renderer and GPU process ids (the renderer: the one that has used the most CPU so far). */
async function chromiumPids(cdp: CDPSession): Promise<{
  renderer: number;
  gpu?: number | undefined;
  browser?: number | undefined;
  network?: number | undefined;
}> {
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; id: number; cpuTime: number }[];
  };
  const renderers = processInfo.filter((p) => p.type === 'renderer').sort((a, b) => b.cpuTime - a.cpuTime);
  if (!renderers[0]) throw new Error('no renderer process found');
  return {
    renderer: renderers[0].id,
    gpu: processInfo.find((p) => p.type.toLowerCase() === 'gpu')?.id,
    browser: processInfo.find((p) => p.type === 'browser')?.id,
    network: processInfo.find((p) => p.type.includes('NetworkService'))?.id,
  };
}

/** dockerd's pid, when this user can see it (its CPU is part of the cost of a log line). */
async function dockerdPid(): Promise<number | undefined> {
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const comm = await readFile(`/proc/${name}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'dockerd') return Number(name);
  }
  return undefined;
}

async function diskBytes(dir: string): Promise<number> {
  let total = 0;
  for (const f of await readdir(dir).catch(() => [] as string[]))
    if (f.endsWith('.ndjson')) total += (await stat(join(dir, f))).size;
  return total;
}

async function main(): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-bench-ui-'));
  const server = await startServer(dataDir);
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    // The flags of playwright.config.ts.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    // tsx names functions through a `__name` helper; functions sent to the page need it there too.
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    const cdp = await page.context().newCDPSession(page);
    const imported = await server.call<{ id: string }>('definitions:import', {
      text: JSON.stringify(definition),
      fileName: 'bench-ui-logs.json',
    });
    await page.goto(server.url);
    await page.getByTestId('docker-status').and(page.locator('[data-state="connected"]')).waitFor();
    const before = await heapMB(cdp);
    const [task] = await server.call<{ taskId: string }[]>('tasks:run', {
      definitionId: imported.id,
      pullBehavior: 'prefer-cached',
    });
    const taskId = task!.taskId;
    await page.goto(`${server.url}#/tasks/${taskId}`);
    await page.getByRole('tab', { name: 'Logs', exact: true }).click();
    await page.getByTestId('log-viewport').waitFor();
    const all = LINES.toLocaleString('en-US');
    await page.evaluate(startFrameRecorder, `${all} of ${all}`);
    const browserCdp = await browser.newBrowserCDPSession();
    const pids = await chromiumPids(browserCdp);
    let syncMarkAt = NaN;
    if (TRACE) {
      await startTrace(browserCdp);
      syncMarkAt = await page.evaluate((name) => performance.mark(name).startTime, SYNC_MARK);
    }
    const sampler = new CpuSampler(
      benchCounters({ ...pids, server: server.pid, dockerd: await dockerdPid() }),
    );
    sampler.start();
    await cdp.send('Performance.enable');
    const m0 = await pageMetrics(cdp);
    if (PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    progress(`task ${taskId}: streaming ${LINES.toLocaleString('en-US')} lines into the following viewer`);
    const t0 = Date.now();
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="log-count"]')?.textContent?.startsWith(text),
      `${all} of ${all} lines`,
      { timeout: 600_000, polling: 1000 },
    );
    const streamSeconds = (Date.now() - t0) / 1000;
    const load = loadavg()[0]!;
    const frames: FrameRecord = await page.evaluate(stopFrameRecorder);
    const m1 = await pageMetrics(cdp);
    sampler.stop();
    const names = sampler.counters.map((c) => c.name);
    const cores = cpus().length;
    const split = (w: readonly (readonly [number, number])[]) => cpuSplit(sampler.samples, names, w, cores);
    const worst: WorstFrame[] = frames.worst.map((f) => ({ ...f, cpu: split([[f.at, f.at + f.duration]]) }));
    const inLongFrames = split(frames.loafWindows);
    const wholeStream = split([[frames.streamStartEpoch, frames.streamStartEpoch + frames.streamMs]]);
    // The page's main thread: CPU it got vs wall time its tasks took (the gap is waiting for a core).
    const mainCpu = m1.ThreadTime - m0.ThreadTime;
    const mainBusy = m1.TaskDuration - m0.TaskDuration;
    const rendererCpu = m1.ProcessTime - m0.ProcessTime;
    if (PROFILE)
      progress(
        `main-thread self time while streaming:\n${topSelfTime((await cdp.send('Profiler.stop')).profile)}`,
      );
    const following = await page.getByTestId('log-viewport').textContent();
    progress(`streamed in ${streamSeconds.toFixed(1)} s; ${frames.loaf.length} long frames`);

    // Search: a hit near the end (a forward scan's worst case) and one at the start.
    const searches: Record<string, number> = {};
    for (const q of [String(LINES - 1), 'hello-not-there|^12345$']) {
      if (q.includes('|')) {
        await page.getByLabel('.* Regex').check();
      }
      await page.getByLabel('Search logs').fill('');
      searches[q] = await page.evaluate(timeSearch, q).catch(() => NaN);
    }
    const after = await heapMB(cdp);
    const perHundredK = ((after - before) / LINES) * 100_000;

    const capBytes = DEFAULT_LOG_CAP_MB * MB;
    const onDisk = await diskBytes(join(dataDir, 'tasks', taskId, 'logs'));
    await server.call('tasks:stop', { taskId, reason: 'bench done' });

    const sorted = [...frames.intervals].sort((a, b) => a - b);
    const worstFrame = Math.max(sorted.at(-1) ?? 0, ...frames.loaf);
    const p95 = percentile(sorted, 95);
    const rows: ResultRow[] = [
      {
        metric: `${all} lines into a following viewer: worst frame`,
        value: ms(worstFrame),
        target: `≤ ${FRAME_TARGET_MS} ms`,
        pass: worstFrame <= FRAME_TARGET_MS,
      },
      {
        metric: 'frame interval p95 (median)',
        value: `${ms(p95)} (${ms(percentile(sorted, 50))})`,
        target: '(report)',
      },
      {
        metric: 'long animation frames (> 50 ms)',
        value: `${frames.loaf.length} of ${frames.intervals.length} frames`,
        target: '0',
        pass: frames.loaf.length === 0,
      },
      {
        metric: 'stream time (engine → Docker → page; frames counted from first to last line shown)',
        value: `${streamSeconds.toFixed(1)} s (${(frames.streamMs / 1000).toFixed(1)} s)`,
        target: '(report)',
      },
      {
        metric: 'page main thread while streaming: CPU used / task wall time (renderer CPU)',
        value: `${mainCpu.toFixed(1)} s / ${mainBusy.toFixed(1)} s (${rendererCpu.toFixed(1)} s)`,
        target: '(report)',
      },
      {
        metric: 'in the long frames: page main thread ran / waited for a core / slept (machine busy)',
        value: frames.loaf.length
          ? `${ms(inLongFrames.mainRunMs)} / ${ms(inLongFrames.mainWaitMs)} / ${ms(inLongFrames.mainSleepMs)} (${Math.round(inLongFrames.machineBusy * 100)}%)`
          : '(none)',
        target: '(report)',
      },
      {
        metric: 'machine load when the stream ended (1-min load average / cores)',
        value: `${load.toFixed(1)} / ${cpus().length}`,
        target: '(report)',
      },
      ...Object.entries(searches).map(([q, t]) => ({
        metric: `search "${q}" over ${all} lines: first hit`,
        value: ms(t),
        target: `< ${SEARCH_TARGET_MS} ms`,
        pass: t < SEARCH_TARGET_MS,
      })),
      {
        metric: 'page JS heap per 100k lines (after GC)',
        value: `${perHundredK.toFixed(1)} MB (${before.toFixed(0)} → ${after.toFixed(0)} MB)`,
        target: 'bounded (report)',
      },
      {
        metric: `container log on disk vs cap (${DEFAULT_LOG_CAP_MB} MB default)`,
        value: `${(onDisk / MB).toFixed(1)} MB`,
        target: `≤ ${DEFAULT_LOG_CAP_MB} MB`,
        pass: onDisk <= capBytes,
      },
      {
        metric: 'viewer follows to the last line',
        value: following?.includes(String(LINES)) ? 'yes' : 'no',
        target: 'yes',
        pass: following?.includes(String(LINES)) === true,
      },
    ];
    console.log(formatTable(rows));
    progress(`while streaming: ${describeSplit(wholeStream)}`);
    if (frames.loaf.length)
      progress(`in all ${frames.loaf.length} long frames: ${describeSplit(inLongFrames)}`);
    if (worst.length) progress(`longest frames:\n${describeWorst(worst)}`);
    if (TRACE) {
      const origin = await page.evaluate(() => performance.timeOrigin);
      const windows = [
        ...frames.worst.map((f) => ({ start: f.at - origin, duration: f.duration })),
        ...frames.longestIntervals.map(([at, ms]) => ({ start: at - origin, duration: ms })),
      ];
      const events = await stopTrace(browserCdp);
      progress(
        `trace (${events.length} events):\n${describeTraceWindows(events, pids.renderer, syncMarkAt, windows)}`,
      );
    }
    const lateFrames = frames.longestIntervals.map(([at, ms]) => ({
      ms: round(ms),
      cpu: split([[at, at + ms]]),
    }));
    progress(
      `longest rAF intervals:\n${lateFrames.map((f) => `  ${f.ms} ms: ${describeSplit(f.cpu)}`).join('\n')}`,
    );
    const json = {
      measuredAt: new Date().toISOString(),
      lines: LINES,
      loadAverage: round(load),
      cores: cpus().length,
      streamSeconds: round(streamSeconds),
      pageStreamSeconds: round(frames.streamMs / 1000),
      mainThread: {
        cpuSeconds: round(mainCpu),
        taskWallSeconds: round(mainBusy),
        rendererCpuSeconds: round(rendererCpu),
      },
      frames: {
        count: frames.intervals.length,
        worstMs: round(worstFrame),
        p95Ms: round(p95),
        medianMs: round(percentile(sorted, 50)),
        longAnimationFrames: frames.loaf.length,
        longest: worst,
        longestIntervals: lateFrames,
        cpuInLongFrames: inLongFrames,
      },
      cpuWhileStreaming: wholeStream,
      searchFirstHitMs: Object.fromEntries(Object.entries(searches).map(([q, t]) => [q, round(t)])),
      heapMB: { before: round(before), after: round(after), per100kLines: round(perHundredK, 2) },
      disk: { bytes: onDisk, capBytes },
      rows,
    };
    const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'ui-results.json');
    const text = JSON.stringify(json, null, 2);
    await writeFile(file, await format(text, { ...(await resolveConfig(file)), filepath: file }));
    return rows.every((r) => r.pass !== false) ? 0 : 1;
  } finally {
    await browser.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
