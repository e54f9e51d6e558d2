/**
 * Optional Chrome trace of the stream (BENCH_UI_TRACE=1; it costs CPU, so frame figures of a traced
 * run are diagnostics, not results): records the devtools timeline, GC and top-level task events,
 * then for each of the longest frames lists what ran on the renderer main and compositor threads
 * inside it — by event name, wall time and (where Chrome records it) thread CPU time.
 */
import type { CDPSession } from '@playwright/test';

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.frame',
  'v8.gc',
  'blink_gc',
  'toplevel',
  'mojom',
  'blink.user_timing',
];

/** The mark the page sets so trace time can be lined up with the page's performance.now(). */
export const SYNC_MARK = 'bench-trace-sync';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export async function startTrace(cdp: CDPSession): Promise<void> {
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordContinuously' },
    transferMode: 'ReturnAsStream',
  });
}

export async function stopTrace(cdp: CDPSession): Promise<TraceEvent[]> {
  const complete = new Promise<{ stream?: string }>((resolve) =>
    cdp.once('Tracing.tracingComplete', resolve),
  );
  await cdp.send('Tracing.end');
  const { stream } = await complete;
  if (!stream) return [];
  let text = '';
  for (;;) {
    const r = (await cdp.send('IO.read', { handle: stream, size: 4 * 1024 * 1024 })) as {
      data: string;
      eof: boolean;
      base64Encoded?: boolean;
    };
    text += r.base64Encoded ? Buffer.from(r.data, 'base64').toString('utf8') : r.data;
    if (r.eof) break;
  }
  await cdp.send('IO.close', { handle: stream });
  const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
}

/**
 * For each window (page performance.now() ms), the events on the renderer's main and compositor
 * threads that overlap it: name, wall ms inside the window, thread CPU ms (when recorded).
 * `syncMarkAt` is the page time of SYNC_MARK.
 */
export function describeTraceWindows(
  events: readonly TraceEvent[],
  rendererPid: number,
  syncMarkAt: number,
  windows: readonly { start: number; duration: number }[],
): string {
  const mark = events.find((e) => e.name === SYNC_MARK && e.pid === rendererPid);
  if (!mark) return '  (trace: sync mark not found)';
  const offsetUs = mark.ts - syncMarkAt * 1000;
  const threads = new Map<number, string>();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name' && e.pid === rendererPid)
      threads.set(e.tid, e.args?.name ?? '');
  const wanted = [...threads].filter(([, n]) => n === 'CrRendererMain' || n === 'Compositor');
  const out: string[] = [];
  for (const w of windows) {
    const from = offsetUs + w.start * 1000;
    const to = from + w.duration * 1000;
    out.push(`  trace of the ${w.duration.toFixed(1)} ms frame:`);
    for (const [tid, name] of wanted) {
      const byName = new Map<string, { wall: number; cpu: number; n: number }>();
      for (const e of events) {
        if (e.pid !== rendererPid || e.tid !== tid || e.ph !== 'X' || e.dur === undefined) continue;
        const a = Math.max(e.ts, from);
        const b = Math.min(e.ts + e.dur, to);
        if (b <= a) continue;
        const s = byName.get(e.name) ?? { wall: 0, cpu: 0, n: 0 };
        s.wall += (b - a) / 1000;
        s.cpu += ((e.tdur ?? NaN) * (b - a)) / e.dur / 1000;
        s.n++;
        byName.set(e.name, s);
      }
      const top = [...byName]
        .sort((x, y) => y[1].wall - x[1].wall)
        .slice(0, 10)
        .map(
          ([n, s]) =>
            `${n} ${s.wall.toFixed(1)} ms${Number.isFinite(s.cpu) ? ` (cpu ${s.cpu.toFixed(1)})` : ''}${s.n > 1 ? ` ×${s.n}` : ''}`,
        );
      out.push(`    ${name}: ${top.join('; ') || '(nothing)'}`);
    }
  }
  return out.join('\n');
}
