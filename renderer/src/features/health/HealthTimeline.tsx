/**
 * Health timeline: per container with a health check, every probe as a tick (time, duration, exit
 * code, output on hover) over health-state bands, with the check's config beside it; the
 * task-level health (from essential containers) on top.
 */
import { useMemo, useState } from 'react';
import type { HealthProbe, TaskDefinitionView, TaskDetail } from '../../../../contract/dto.js';
import { formatDuration, formatTime } from '../../components/format.js';
import { HealthBadge } from '../../components/StatusBadge.js';
import { useNow } from '../../components/use-now.js';
import { describeCommand, healthBands, probeMarks, taskHealth, type ProbeMark } from './health-model.js';

export function HealthTimeline({
  task,
  probes,
  definition,
}: {
  task: TaskDetail;
  probes: Readonly<Record<string, readonly HealthProbe[]>>;
  definition: TaskDefinitionView | null | undefined;
}) {
  const now = useNow(task.lastStatus !== 'STOPPED');
  const [hover, setHover] = useState<{ container: string; mark: ProbeMark } | undefined>();
  const derived = taskHealth(task.containers);
  const rows = useMemo(() => {
    const end = Math.max(
      Date.parse(task.createdAt) + 1000,
      task.stoppedAt ? Date.parse(task.stoppedAt) : now,
    );
    return task.containers.map((c) => {
      const check = definition?.containers.find((d) => d.name === c.name)?.healthCheck;
      const started = c.startedAt ? Date.parse(c.startedAt) : undefined;
      const marks = probeMarks(probes[c.name] ?? [], started, check);
      const lastProbe = marks.reduce((t, m) => Math.max(t, m.at + m.durationMs), 0);
      const since = c.healthSince ? Date.parse(c.healthSince) : 0;
      const to = c.finishedAt ? Date.parse(c.finishedAt) : Math.max(end, lastProbe, since + 500);
      const bands =
        check && started !== undefined
          ? healthBands(marks, started, to, check.retries, {
              status: c.healthStatus,
              ...(c.healthSince ? { since: Date.parse(c.healthSince) } : {}),
            })
          : [];
      return { c, check, marks, bands, from: started ?? Date.parse(task.createdAt), to };
    });
  }, [task, probes, definition, now]);
  const start = Math.min(...rows.map((r) => r.from));
  // Docker's clock may run ahead of ours: never draw a probe past the right edge.
  const end = Math.max(
    start + 1000,
    ...rows.map((r) => r.to),
    ...rows.flatMap((r) => r.marks.map((m) => m.at + m.durationMs)),
  );
  const pct = (t: number) => `${((t - start) / (end - start)) * 100}%`;

  return (
    <div className="health" data-testid="health-timeline">
      <div className="health-summary card">
        <span>Task health</span>
        <HealthBadge health={task.healthStatus} />
        <span className="muted small">
          From essential containers: {derived}
          {derived !== task.healthStatus ? ' (engine update pending)' : ''} — UNHEALTHY if any essential
          container is, else UNKNOWN if any is, else HEALTHY.
        </span>
      </div>
      {rows.map(({ c, check, marks, bands }) => (
        <section key={c.name} className="card health-row" data-testid={`health-row-${c.name}`}>
          <div className="health-config">
            <div className="health-config-head">
              <strong>{c.name}</strong>
              <HealthBadge health={c.healthStatus} />
              {c.essential ? null : <span className="badge badge-muted badge-small">non-essential</span>}
            </div>
            {check ? (
              <dl className="kv kv-compact">
                <dt>Command</dt>
                <dd className="mono" title={check.command.join(' ')}>
                  {describeCommand(check.command)}
                </dd>
                <dt>Interval</dt>
                <dd>{check.interval} s</dd>
                <dt>Timeout</dt>
                <dd>{check.timeout} s</dd>
                <dt>Retries</dt>
                <dd>{check.retries}</dd>
                <dt>Start period</dt>
                <dd>{check.startPeriod} s</dd>
                <dt>Since</dt>
                <dd>{formatTime(c.healthSince)}</dd>
              </dl>
            ) : (
              <p className="muted small">No health check: health stays UNKNOWN.</p>
            )}
          </div>
          <div className="health-track-wrap">
            {check ? (
              <>
                <div className="health-track">
                  {bands.map((b, i) => (
                    <div
                      key={i}
                      className={`health-band band-${b.state}`}
                      style={{ left: pct(b.start), width: pct(start + (b.end - b.start)) }}
                    >
                      <span className="health-band-label">{b.state}</span>
                    </div>
                  ))}
                  {marks.map((m, i) => (
                    <button
                      key={i}
                      className={`probe probe-${m.ok ? 'ok' : m.grace ? 'grace' : 'fail'}`}
                      style={{ left: pct(m.at) }}
                      data-testid="probe-mark"
                      aria-label={`Probe at ${formatTime(new Date(m.at).toISOString())}: exit ${m.exitCode}`}
                      onMouseEnter={() => setHover({ container: c.name, mark: m })}
                      onFocus={() => setHover({ container: c.name, mark: m })}
                      onMouseLeave={() => setHover(undefined)}
                    />
                  ))}
                </div>
                <div className="health-axis small muted">
                  <span>{formatTime(new Date(start).toISOString())}</span>
                  <span>
                    {marks.length} probe{marks.length === 1 ? '' : 's'} · {marks.filter((m) => !m.ok).length}{' '}
                    failed
                  </span>
                  <span>+{formatDuration(end - start)}</span>
                </div>
                {hover?.container === c.name ? (
                  <div className="probe-detail" data-testid="probe-detail">
                    <div>
                      <strong>{formatTime(new Date(hover.mark.at).toISOString())}</strong>
                      <span className="muted"> · {hover.mark.durationMs} ms · </span>
                      <span className={hover.mark.ok ? 'text-ok' : 'text-error'}>
                        exit {hover.mark.exitCode}
                      </span>
                      {hover.mark.grace && <span className="muted"> · in start period (not counted)</span>}
                    </div>
                    <pre className="probe-output">{hover.mark.output.trim() || '(no output)'}</pre>
                  </div>
                ) : (
                  <div className="probe-detail probe-detail-empty muted small">
                    {marks.length ? 'Hover a probe for its output.' : 'No probe has run yet.'}
                  </div>
                )}
              </>
            ) : null}
          </div>
        </section>
      ))}
    </div>
  );
}
