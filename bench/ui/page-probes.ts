/**
 * Code the bench runs inside the page (serialised by Playwright, so each function is
 * self-contained): a frame recorder (long-animation-frame entries + every rAF interval) and a timed
 * search that stops the clock when the match count first shows a hit.
 */

/** Frames seen while lines streamed in (from the first line shown to the last). */
export interface FrameRecord {
  /** Intervals between consecutive animation frames (ms) that ended while streaming. */
  readonly intervals: number[];
  /** How long the stream took on the page (first line shown → last line shown), ms. */
  readonly streamMs: number;
  /** Epoch ms when the first line was shown. */
  readonly streamStartEpoch: number;
  /** Durations of long-animation-frame entries (> 50 ms by definition). */
  readonly loaf: number[];
  /** Every long animation frame's window, as epoch ms (to line up with CPU samples). */
  readonly loafWindows: [start: number, end: number][];
  /** The three longest rAF intervals as [start, ms] (epoch ms): a frame can be late with no LoAF. */
  readonly longestIntervals: [start: number, ms: number][];
  /** The five longest, split into their phases (what made them long). */
  readonly worst: FrameBreakdown[];
}

/**
 * A long animation frame split by its timing fields: the tasks before the rendering update
 * (scripts with attribution, and the rest: tasks without script such as GC, parsing of messages,
 * or time the main thread was idle waiting for a rendering opportunity), then the update itself
 * (rAF callbacks, then style, layout and paint).
 */
export interface FrameBreakdown {
  /** Epoch ms when the frame started (page timeOrigin + startTime). */
  readonly at: number;
  readonly duration: number;
  /** Sum of (task − 50 ms) over its long tasks plus the render: the part that blocked input. */
  readonly blocking: number;
  /** Scripts attributed in the frame (each script entry is ≥ 5 ms). */
  readonly scriptMs: number;
  /** From frame start to the start of the rendering update. */
  readonly beforeRenderMs: number;
  /** rAF callbacks etc.: renderStart → styleAndLayoutStart. */
  readonly rafMs: number;
  /** Style, layout and paint: styleAndLayoutStart → end. */
  readonly styleLayoutPaintMs: number;
  readonly scripts: string[];
}

type ProbeWindow = Window & {
  __benchFrames?: {
    intervals: [end: number, ms: number][];
    loaf: PerformanceEntry[];
    window: { start: number; end: number };
    stop: () => void;
  };
};

/**
 * Installs the recorder (call with page.evaluate). `done` is the line count text that means every
 * line is shown; the streaming window opens when the count first leaves zero.
 */
export function startFrameRecorder(done: string): void {
  const w = window as ProbeWindow;
  const intervals: [number, number][] = [];
  const loaf: PerformanceEntry[] = [];
  const streaming = { start: NaN, end: NaN };
  let last = 0;
  let running = true;
  const tick = (t: number) => {
    if (last) intervals.push([t, t - last]);
    last = t;
    // textContent needs no layout: reading it every frame costs nothing measurable.
    const text = document.querySelector('[data-testid="log-count"]')?.textContent ?? '';
    if (Number.isNaN(streaming.start) && text !== '' && !text.startsWith('0 of')) streaming.start = t;
    if (Number.isNaN(streaming.end) && text.startsWith(done)) streaming.end = t;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const observer = new PerformanceObserver((list) => loaf.push(...list.getEntries()));
  observer.observe({ type: 'long-animation-frame', buffered: false });
  w.__benchFrames = {
    intervals,
    loaf,
    window: streaming,
    stop: () => {
      running = false;
      observer.disconnect();
    },
  };
}

/** Stops the recorder and returns what it saw. */
export function stopFrameRecorder(): FrameRecord {
  const r = (window as ProbeWindow).__benchFrames!;
  r.stop();
  type Loaf = PerformanceEntry & {
    renderStart: number;
    styleAndLayoutStart: number;
    blockingDuration?: number;
    scripts?: {
      sourceURL?: string;
      sourceFunctionName?: string;
      invoker?: string;
      invokerType?: string;
      duration: number;
      forcedStyleAndLayoutDuration?: number;
    }[];
  };
  const origin = performance.timeOrigin;
  const { start, end } = r.window;
  // A frame counts when it ended inside the window (its interval is the time it took).
  const inWindow = (t: number) => t > start && t <= end;
  const entries = (r.loaf as Loaf[]).filter((e) => inWindow(e.startTime + e.duration));
  const worst = [...entries]
    .sort((a, b) => b.duration - a.duration)
    .slice(0, 5)
    .map((e) => {
      const end = e.startTime + e.duration;
      const render = e.renderStart > 0 ? e.renderStart : end;
      const styleLayout = e.styleAndLayoutStart > 0 ? e.styleAndLayoutStart : end;
      const scripts = e.scripts ?? [];
      const r1 = (x: number) => Math.round(x * 10) / 10;
      return {
        at: r1(origin + e.startTime),
        duration: r1(e.duration),
        blocking: r1(e.blockingDuration ?? NaN),
        scriptMs: r1(scripts.reduce((sum, s) => sum + s.duration, 0)),
        beforeRenderMs: r1(render - e.startTime),
        rafMs: r1(styleLayout - render),
        styleLayoutPaintMs: r1(end - styleLayout),
        scripts: scripts.map(
          (s) =>
            `${s.invokerType ?? ''} ${s.sourceFunctionName || s.invoker || '(anonymous)'} ${Math.round(s.duration)} ms` +
            ` (forced style/layout ${Math.round(s.forcedStyleAndLayoutDuration ?? 0)} ms) ${s.sourceURL ?? ''}`,
        ),
      };
    });
  return {
    intervals: r.intervals.filter(([t]) => inWindow(t)).map(([, ms]) => ms),
    streamMs: end - start,
    streamStartEpoch: origin + start,
    loaf: entries.map((e) => e.duration),
    longestIntervals: r.intervals
      .filter(([t]) => inWindow(t))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([t, ms]) => [origin + t - ms, ms]),
    loafWindows: entries.map((e) => [origin + e.startTime, origin + e.startTime + e.duration]),
    worst,
  };
}

/**
 * Types `query` into the log search (as React sees typing) and resolves with the ms until the
 * match count first shows at least one hit.
 */
export function timeSearch(query: string): Promise<number> {
  const input = document.querySelector<HTMLInputElement>('input[aria-label="Search logs"]')!;
  const count = document.querySelector('[data-testid="log-match-count"]')!;
  return new Promise((resolve, reject) => {
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    const t0 = performance.now();
    const done = () => {
      if (/^0 \/ [1-9]/.test(count.textContent ?? '')) {
        observer.disconnect();
        clearTimeout(timer);
        resolve(performance.now() - t0);
      }
    };
    const observer = new MutationObserver(done);
    observer.observe(count, { childList: true, characterData: true, subtree: true });
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`no hit for "${query}" within 30 s (count: ${count.textContent})`));
    }, 30_000);
    setter.call(input, query);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
