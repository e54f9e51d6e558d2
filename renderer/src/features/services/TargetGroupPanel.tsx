/**
 * One target group: its health-check settings and listener, and per target a timeline like the
 * container health timeline — state bands (initial → healthy/unhealthy → draining) with every
 * load-balancer health check as a mark (status code and latency on hover), plus the draining
 * countdown.
 */
import { useMemo, useState } from 'react';
import type { TargetGroupView } from '../../../../contract/service-dto.js';
import { formatDuration, formatTime, shortId } from '../../components/format.js';
import { useNow } from '../../components/use-now.js';
import { TargetStateBadge } from './ServiceBadges.js';
import {
  bandClass,
  checkMarks,
  describeCheck,
  drainingSecondsLeft,
  position,
  targetBands,
  timelineWindow,
  type CheckMark,
} from './target-timeline-model.js';

export function TargetGroupPanel({ group, live }: { group: TargetGroupView; live: boolean }) {
  const now = useNow(live);
  const [hover, setHover] = useState<{ target: string; mark: CheckMark } | undefined>();
  const { start, end } = timelineWindow(group.targets, now);
  const rows = useMemo(
    () => group.targets.map((t) => ({ t, bands: targetBands(t, end), marks: checkMarks(t) })),
    [group.targets, end],
  );
  const pct = (at: number) => `${position(at, start, end)}%`;

  return (
    <section className="card svc-tg" data-testid="target-group" data-name={group.targetGroupName}>
      <div className="card-header svc-tg-head">
        <strong>{group.targetGroupName}</strong>
        <span className="mono small">
          {group.listenerAddress ? `http://${group.listenerAddress}` : 'not listening'}
        </span>
        <span className="muted small">
          GET {group.healthCheckPath} every {group.healthCheckIntervalSeconds} s · timeout{' '}
          {group.healthCheckTimeoutSeconds} s · healthy after {group.healthyThresholdCount} · unhealthy after{' '}
          {group.unhealthyThresholdCount} · codes {group.matcher} · deregistration delay{' '}
          {group.deregistrationDelaySeconds} s
        </span>
      </div>
      {rows.length === 0 ? (
        <p className="muted small">No target registered yet.</p>
      ) : (
        <p className="muted small svc-tg-hint">
          Each mark is one load-balancer health check: hover it for the status code and latency.
        </p>
      )}
      {rows.map(({ t, bands, marks }) => {
        const left = drainingSecondsLeft(t, now);
        const failed = marks.filter((m) => !m.ok).length;
        return (
          <div
            key={`${t.taskId}-${t.id}`}
            className="svc-target"
            data-testid="target-row"
            data-state={t.state}
          >
            <div className="svc-target-info">
              <div className="svc-target-id">
                <span className="mono">{t.id}</span>
                <TargetStateBadge state={t.state} />
              </div>
              <div className="muted small">
                task <a href={`#/tasks/${t.taskId}`}>{shortId(t.taskId)}</a> · {t.containerName}
                {t.inFlightRequests > 0 && ` · ${t.inFlightRequests} in flight`}
              </div>
              {(t.reason || t.description) && (
                <div className="small svc-target-reason" data-testid="target-reason">
                  {t.reason && <span className="mono">{t.reason}</span>}
                  {t.description && <span> {t.description}</span>}
                </div>
              )}
              {left !== undefined && (
                <div className="svc-draining small" data-testid="draining-countdown">
                  Draining: stops in {left} s
                </div>
              )}
            </div>
            <div className="health-track-wrap">
              <div className="health-track" data-testid="target-track">
                {bands.map((b, i) => (
                  <div
                    key={i}
                    className={`health-band ${bandClass(b.state)}`}
                    style={{
                      left: pct(b.start),
                      width: `${position(b.end, start, end) - position(b.start, start, end)}%`,
                    }}
                    title={`${b.state}${b.reason ? ` (${b.reason})` : ''}${b.description ? `: ${b.description}` : ''}`}
                  >
                    <span className="health-band-label">{b.state}</span>
                  </div>
                ))}
                {marks.map((m, i) => (
                  <button
                    key={i}
                    className={`probe probe-${m.ok ? 'ok' : 'fail'}`}
                    style={{ left: pct(m.at) }}
                    data-testid="check-mark"
                    aria-label={`Health check at ${formatTime(new Date(m.at).toISOString())}: ${describeCheck(m)}`}
                    onMouseEnter={() => setHover({ target: t.id, mark: m })}
                    onFocus={() => setHover({ target: t.id, mark: m })}
                    onMouseLeave={() => setHover(undefined)}
                  />
                ))}
              </div>
              <div className="health-axis small muted">
                <span>{formatTime(new Date(start).toISOString())}</span>
                <span>
                  {marks.length} check{marks.length === 1 ? '' : 's'} · {failed} failed
                </span>
                <span>+{formatDuration(end - start)}</span>
              </div>
              {hover?.target === t.id && (
                <div className="svc-check-detail" data-testid="check-detail">
                  <strong>{formatTime(new Date(hover.mark.at).toISOString())}</strong>
                  <span className="muted"> · GET {group.healthCheckPath} → </span>
                  <span className={hover.mark.ok ? 'text-ok' : 'text-error'}>
                    {describeCheck(hover.mark)}
                  </span>
                </div>
              )}
            </div>
          </div>
        );
      })}
    </section>
  );
}
