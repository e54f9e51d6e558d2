/**
 * One small live time-series chart (uPlot: canvas drawing, styles set through the DOM API only,
 * so it runs under the app's CSP). Optional dashed limit line with a label (the OOM line) and a
 * vertical marker (the container stopped). New data is handed to the existing plot, never rebuilt.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  readonly label: string;
  /** A CSS custom property (e.g. `--accent`) or a colour. */
  readonly color: string;
}

export interface ChartLine {
  readonly value: number;
  readonly label: string;
  readonly color: string;
}

export interface ChartMarker {
  /** Milliseconds since the epoch. */
  readonly t: number;
  readonly label: string;
  readonly color: string;
}

export interface ResourceChartProps {
  readonly testId: string;
  readonly title: string;
  /** The latest value(s), in words. */
  readonly summary: string;
  /** Times in milliseconds; one y array per series (null = no value). */
  readonly xs: readonly number[];
  readonly ys: readonly (readonly (number | null)[])[];
  readonly series: readonly ChartSeries[];
  readonly formatValue: (v: number) => string;
  /** Byte quantities: ticks at powers of two (1 MiB, 2 MiB, …) rather than decimal steps. */
  readonly binary?: boolean;
  readonly limit?: ChartLine;
  readonly marker?: ChartMarker;
}

const HEIGHT = 120;

/** Tick steps for byte scales: 1, 2, 4 … 512 of each binary unit. */
const BINARY_INCRS = [1, 1024, 1024 ** 2, 1024 ** 3, 1024 ** 4].flatMap((unit) =>
  [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].map((m) => m * unit),
);

/** "17:25:03": one row of time labels keeps the small charts readable. */
function clock(seconds: number): string {
  return new Date(seconds * 1000).toLocaleTimeString([], { hour12: false });
}

/** Resolves `--name` against the document's theme. */
function cssColor(c: string): string {
  if (!c.startsWith('--')) return c;
  return getComputedStyle(document.documentElement).getPropertyValue(c).trim() || '#888';
}

export function ResourceChart(props: ResourceChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // Canvas colours come from the theme's variables: a theme switch rebuilds the plot.
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme ?? '');
  useEffect(() => {
    const mo = new MutationObserver(() => setTheme(document.documentElement.dataset.theme ?? ''));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => mo.disconnect();
  }, []);
  // The draw hooks and scale ranges read the newest props through this ref.
  const latest = useRef(props);
  useLayoutEffect(() => {
    latest.current = props;
  });

  const data = (): uPlot.AlignedData =>
    [props.xs.map((t) => t / 1000), ...props.ys.map((y) => [...y])] as unknown as uPlot.AlignedData;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const p = latest.current;
    const muted = cssColor('--text-muted');
    const grid = cssColor('--border');
    const axis: uPlot.Axis = {
      stroke: muted,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1, size: 4 },
      font: '10px system-ui, sans-serif',
    };
    const u = new uPlot(
      {
        width: Math.max(160, el.clientWidth),
        height: HEIGHT,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        padding: [8, 8, 0, 0],
        scales: {
          x: {
            time: true,
            range: (_u, min, max) => {
              const m = latest.current.marker;
              const hi = m ? Math.max(max, m.t / 1000) : max;
              return [min, hi > min ? hi : min + 1];
            },
          },
          y: {
            range: (_u, _min, max) => {
              const lim = latest.current.limit?.value ?? 0;
              const top = Math.max(max, lim) * 1.12;
              return [0, top > 0 ? top : 1];
            },
          },
        },
        axes: [
          { ...axis, space: 80, values: (_u, vals) => vals.map(clock) },
          {
            ...axis,
            size: 66,
            ...(p.binary ? { incrs: BINARY_INCRS } : {}),
            values: (_u, vals) => vals.map((v) => latest.current.formatValue(v)),
          },
        ],
        series: [
          {},
          ...p.series.map((s) => {
            const color = cssColor(s.color);
            return { label: s.label, stroke: color, width: 1.5, fill: `${color}22`, points: { show: false } };
          }),
        ],
        hooks: {
          draw: [
            (self) => {
              const { limit, marker } = latest.current;
              const ctx = self.ctx;
              const r = uPlot.pxRatio;
              const { left, top, width, height } = self.bbox;
              ctx.save();
              ctx.font = `${600} ${10 * r}px system-ui, sans-serif`;
              // uPlot leaves its axis text settings on the context.
              ctx.textAlign = 'left';
              ctx.textBaseline = 'alphabetic';
              if (limit) {
                const y = Math.round(self.valToPos(limit.value, 'y', true));
                const color = cssColor(limit.color);
                ctx.strokeStyle = color;
                ctx.fillStyle = color;
                ctx.lineWidth = 1.5 * r;
                ctx.setLineDash([6 * r, 4 * r]);
                ctx.beginPath();
                ctx.moveTo(left, y);
                ctx.lineTo(left + width, y);
                ctx.stroke();
                ctx.fillText(limit.label, left + 6 * r, y - 4 * r);
              }
              if (marker) {
                const x = Math.round(self.valToPos(marker.t / 1000, 'x', true));
                const color = cssColor(marker.color);
                ctx.strokeStyle = color;
                ctx.fillStyle = color;
                ctx.lineWidth = 1.5 * r;
                ctx.setLineDash([]);
                ctx.beginPath();
                ctx.moveTo(x, top);
                ctx.lineTo(x, top + height);
                ctx.stroke();
                const w = ctx.measureText(marker.label).width;
                // Under a limit line's label the top is taken: write at the bottom instead.
                const y = limit ? top + height - 6 * r : top + 12 * r;
                ctx.fillText(marker.label, Math.max(left + 2 * r, x - w - 4 * r), y);
              }
              ctx.restore();
            },
          ],
        },
      },
      data(),
      el,
    );
    plot.current = u;
    const ro = new ResizeObserver(() => {
      const w = Math.max(160, el.clientWidth);
      if (w !== u.width) u.setSize({ width: w, height: HEIGHT });
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Built once per series layout; data updates go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.series.map((s) => s.label).join('|'), theme]);

  useEffect(() => {
    plot.current?.setData(data());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.xs, props.ys, props.limit?.value, props.marker?.t]);

  const last = props.ys[0]?.at(-1);
  return (
    <figure
      className="resource-chart card"
      data-testid={props.testId}
      data-points={props.xs.length}
      data-last={last ?? ''}
      data-limit={props.limit?.value ?? ''}
      data-marker={props.marker?.label ?? ''}
    >
      <figcaption className="resource-chart-head">
        <span className="resource-chart-title">{props.title}</span>
        <span className="resource-chart-summary mono">{props.summary}</span>
      </figcaption>
      <div className="resource-chart-legend">
        {props.series.map((s) => (
          <span key={s.label} className={`legend-key legend-${s.color.replace(/^--/, '')}`}>
            {s.label}
          </span>
        ))}
        {props.limit && <span className="legend-key legend-limit">{props.limit.label}</span>}
      </div>
      <div ref={host} className="resource-chart-plot" />
    </figure>
  );
}
