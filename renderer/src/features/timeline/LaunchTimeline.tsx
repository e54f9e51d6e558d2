/**
 * Launch timeline: one row per container (in start order) with phase segments, a health strip,
 * dependency-release markers, and task markers (stop requested, stopping). Zoom and hover. A
 * cursor (set by a click on the track, or by "Show on timeline" on a log line) leads to the logs
 * written at that moment.
 */
import { useMemo, useState } from 'react';
import type { HealthProbe, TaskDefinitionView, TaskDetail } from '../../../../contract/dto.js';
import { formatDuration } from '../../components/format.js';
import { useNow } from '../../components/use-now.js';
import { axisTicks, buildTimeline, type Marker, type Segment } from './timeline-model.js';

const ZOOMS = [1, 1.5, 2, 3, 5, 8];

interface Hover {
  readonly title: string;
  readonly lines: readonly string[];
}

export function LaunchTimeline({
  task,
  probes,
  definition,
  highlightAt,
  onShowLogsAt,
}: {
  task: TaskDetail;
  probes: Readonly<Record<string, readonly HealthProbe[]>>;
  definition: TaskDefinitionView | null | undefined;
  /** A moment to mark (from a log line); a new object re-triggers. */
  highlightAt?: { readonly ms: number } | undefined;
  onShowLogsAt?: ((ms: number) => void) | undefined;
}) {
  const running = task.lastStatus !== 'STOPPED';
  const now = useNow(running);
  const model = useMemo(() => buildTimeline(task, probes, definition, now), [task, probes, definition, now]);
  const [zoom, setZoom] = useState(0);
  const [hover, setHover] = useState<Hover | undefined>();
  // A click picks a moment; a new `highlightAt` (from a log line) replaces whatever was picked.
  const [picked, setPicked] = useState<{ source: typeof highlightAt; ms: number | undefined }>();
  const cursor = picked && picked.source === highlightAt ? picked.ms : highlightAt?.ms;
  const setCursor = (ms: number | undefined) => setPicked({ source: highlightAt, ms });
  const span = model.end - model.start;
  const pct = (t: number) => `${((t - model.start) / span) * 100}%`;
  const width = (a: number, b: number) => `${Math.max(0.15, ((b - a) / span) * 100)}%`;
  const rel = (t: number) => `+${formatDuration(t - model.start)}`;
  const ticks = axisTicks(span, 8 * ZOOMS[zoom]!);

  const segHover = (row: string, s: Segment): Hover => ({
    title: `${row}: ${s.label}`,
    lines: [
      `${rel(s.start)} → ${rel(s.end)} (${formatDuration(s.end - s.start)})`,
      ...(s.detail ? [s.detail] : []),
    ],
  });
  const markHover = (m: Marker): Hover => ({ title: m.label, lines: [rel(m.at)] });

  return (
    <div className="timeline" data-testid="launch-timeline">
      <div className="timeline-toolbar">
        <div className="timeline-legend small muted">
          {(['pulling', 'created', 'waiting', 'running', 'stopping', 'stopped'] as const).map((k) => (
            <span key={k} className="legend-item">
              <span className={`legend-swatch seg-${k}`} />
              {k}
            </span>
          ))}
          <span className="legend-item">
            <span className="legend-swatch band-healthy" />
            healthy
          </span>
          <span className="legend-item">
            <span className="legend-swatch band-unhealthy" />
            unhealthy
          </span>
          <span className="legend-item">
            <span className="legend-marker marker-released" />
            dependency released
          </span>
          <span className="legend-item">
            <span className="legend-marker marker-stop-requested" />
            stop requested
          </span>
        </div>
        <div className="button-row">
          <button
            className="button button-small"
            aria-label="Zoom out"
            disabled={zoom === 0}
            onClick={() => setZoom((z) => z - 1)}
          >
            −
          </button>
          <span className="small tabular muted zoom-level">{ZOOMS[zoom]}×</span>
          <button
            className="button button-small"
            aria-label="Zoom in"
            disabled={zoom === ZOOMS.length - 1}
            onClick={() => setZoom((z) => z + 1)}
          >
            +
          </button>
          <button className="button button-small" disabled={zoom === 0} onClick={() => setZoom(0)}>
            Fit
          </button>
        </div>
      </div>
      <div className="timeline-grid">
        <div className="timeline-names">
          <div className="timeline-axis-spacer" />
          {model.rows.map((r) => (
            <div key={r.container} className="timeline-name" data-testid="timeline-row-name">
              <span className="timeline-name-text">{r.container}</span>
              {!r.essential && <span className="muted small">non-essential</span>}
            </div>
          ))}
        </div>
        <div className="timeline-scroll">
          <div
            className="timeline-track"
            style={{ width: `${100 * ZOOMS[zoom]!}%` }}
            data-testid="timeline-track"
            onClick={(e) => {
              const box = e.currentTarget.getBoundingClientRect();
              setCursor(model.start + ((e.clientX - box.left) / box.width) * span);
            }}
          >
            <div className="timeline-axis">
              {ticks.map((t) => (
                <span key={t} className="timeline-tick" style={{ left: pct(model.start + t) }}>
                  {formatDuration(t)}
                </span>
              ))}
            </div>
            {model.rows.map((r) => (
              <div key={r.container} className="timeline-row" data-testid={`timeline-row-${r.container}`}>
                {r.segments.map((s, i) => (
                  <div
                    key={i}
                    className={`timeline-seg seg-${s.kind}`}
                    style={{ left: pct(s.start), width: width(s.start, s.end) }}
                    data-kind={s.kind}
                    onMouseEnter={() => setHover(segHover(r.container, s))}
                    onMouseLeave={() => setHover(undefined)}
                  >
                    {/* Only where it fits; hover says the rest. */}
                    {((s.end - s.start) / span) * ZOOMS[zoom]! > 0.055 && (
                      <span className="timeline-seg-label">{s.label}</span>
                    )}
                  </div>
                ))}
                {r.health.map((b, i) => (
                  <div
                    key={`h${i}`}
                    className={`timeline-band band-${b.state}`}
                    style={{ left: pct(b.start), width: width(b.start, b.end) }}
                    onMouseEnter={() =>
                      setHover({
                        title: `${r.container}: ${b.state}`,
                        lines: [`${rel(b.start)} → ${rel(b.end)}`],
                      })
                    }
                    onMouseLeave={() => setHover(undefined)}
                  />
                ))}
                {r.markers.map((m, i) => (
                  <div
                    key={`m${i}`}
                    className={`timeline-marker marker-${m.kind}`}
                    style={{ left: pct(m.at) }}
                    data-testid={`timeline-marker-${m.kind}`}
                    aria-label={m.label}
                    onMouseEnter={() => setHover(markHover(m))}
                    onMouseLeave={() => setHover(undefined)}
                  />
                ))}
              </div>
            ))}
            {cursor !== undefined && (
              <div
                className="timeline-cursor"
                style={{ left: pct(Math.min(model.end, Math.max(model.start, cursor))) }}
                data-testid="timeline-cursor"
              />
            )}
            {model.markers.map((m, i) => (
              <div
                key={`t${i}`}
                className={`timeline-task-marker marker-${m.kind}`}
                style={{ left: pct(m.at) }}
                data-testid={`timeline-marker-${m.kind}`}
                aria-label={m.label}
                onMouseEnter={() => setHover(markHover(m))}
                onMouseLeave={() => setHover(undefined)}
              />
            ))}
          </div>
        </div>
      </div>
      {cursor !== undefined && (
        <div className="timeline-cursor-bar small" data-testid="timeline-cursor-bar">
          <span>
            <strong>{rel(cursor)}</strong>{' '}
            <span className="muted mono">{new Date(cursor).toISOString().slice(11, 23)}</span>
          </span>
          {onShowLogsAt && (
            <button className="button button-small" onClick={() => onShowLogsAt(cursor)}>
              Show logs at this time
            </button>
          )}
          <button
            className="button button-small"
            aria-label="Clear the cursor"
            onClick={() => setCursor(undefined)}
          >
            ×
          </button>
        </div>
      )}
      <div className="timeline-hover small" data-testid="timeline-hover" aria-live="polite">
        {hover ? (
          <>
            <strong>{hover.title}</strong>
            {hover.lines.map((l) => (
              <span key={l} className="muted">
                {' '}
                · {l}
              </span>
            ))}
          </>
        ) : (
          <span className="muted">Hover a bar or marker for details.</span>
        )}
      </div>
    </div>
  );
}
