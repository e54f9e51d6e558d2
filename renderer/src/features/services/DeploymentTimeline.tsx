/**
 * Deployment timeline: per task of each deployment, registration → healthy → draining → stopped on
 * one time axis, with the deployment's "waiting for" line on top so a stuck rollout says why.
 */
import type { ServiceView } from '../../../../contract/service-dto.js';
import { formatDuration, formatTime, shortId } from '../../components/format.js';
import { useNow } from '../../components/use-now.js';
import { deploymentLanes, lanesWindow } from './deployment-timeline-model.js';
import { position } from './target-timeline-model.js';
import { shortDefinitionRef } from './service-model.js';

export function DeploymentTimeline({ service }: { service: ServiceView }) {
  const live = service.status !== 'INACTIVE';
  const now = useNow(live);
  const groups = deploymentLanes(service.deployments, service.tasks, now);
  const { start, end } = lanesWindow(groups, now);
  const pct = (t: number) => position(t, start, end);
  if (groups.every((g) => g.lanes.length === 0)) {
    return <p className="muted small">No task has started yet.</p>;
  }
  return (
    <section className="card svc-timeline" data-testid="deployment-timeline">
      <div className="card-header">
        <strong>Deployment timeline</strong>
        <span className="muted small">
          started → running → registered → healthy → draining → stopped, per task
        </span>
      </div>
      {groups.map((g) => (
        <div key={g.deploymentId} className="svc-lane-group" data-testid="timeline-deployment">
          <div className="svc-lane-group-head">
            <span className="mono small">{g.deploymentId.replace(/^ecs-svc\//, '')}</span>
            {g.deployment ? (
              <>
                <span className="badge badge-small badge-muted">{g.deployment.status}</span>
                <span className="mono small">{shortDefinitionRef(g.deployment.taskDefinition)}</span>
              </>
            ) : (
              <span className="badge badge-small badge-muted" title="Replaced by a newer deployment">
                INACTIVE
              </span>
            )}
          </div>
          {g.deployment?.rolloutState === 'IN_PROGRESS' && g.deployment.waitingFor && (
            <div className="svc-why" data-testid="timeline-waiting">
              <span className="svc-waiting-label">Why is this deployment waiting?</span>{' '}
              {g.deployment.waitingFor}
            </div>
          )}
          {g.lanes.map((lane) => (
            <div
              key={lane.taskId}
              className="svc-lane"
              data-testid="timeline-task"
              data-task-id={lane.taskId}
            >
              <div className="svc-lane-label">
                <a className="mono" href={`#/tasks/${lane.taskId}`}>
                  {shortId(lane.taskId)}
                </a>
                <span className="muted small">
                  {lane.current ? lane.current.kind : lane.lastStatus.toLowerCase()}
                </span>
              </div>
              <div className="svc-lane-track">
                {lane.segments.map((s, i) => (
                  <div
                    key={i}
                    className={`svc-phase phase-${s.phase}`}
                    style={{
                      left: `${pct(s.start)}%`,
                      width: `${Math.max(0.3, pct(s.end) - pct(s.start))}%`,
                    }}
                    title={`${s.phase}: ${formatDuration(s.end - s.start)}`}
                  >
                    <span className="svc-phase-label">{s.phase}</span>
                  </div>
                ))}
                {lane.marks.map((m, i) => (
                  <span
                    key={i}
                    className={`svc-milestone milestone-${m.kind}`}
                    style={{ left: `${pct(m.at)}%` }}
                    title={`${m.kind} at ${formatTime(new Date(m.at).toISOString())}${m.detail ? `: ${m.detail}` : ''}`}
                    data-testid="milestone"
                    data-kind={m.kind}
                  />
                ))}
              </div>
              <div className="svc-lane-detail muted small" title={lane.current?.detail}>
                {lane.current?.detail ?? ''}
              </div>
            </div>
          ))}
        </div>
      ))}
      <div className="health-axis small muted svc-lane-axis">
        <span>{formatTime(new Date(start).toISOString())}</span>
        <span>+{formatDuration(end - start)}</span>
      </div>
    </section>
  );
}
