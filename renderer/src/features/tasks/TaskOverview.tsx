/** Overview tab of a task: status, timestamps, pull progress, containers table. */
import type { ContainerDetail, PullProgress, TaskDetail } from '../../../../contract/dto.js';
import { formatTime, taskDuration } from '../../components/format.js';
import { HealthBadge, StatusBadge } from '../../components/StatusBadge.js';
import { PullProgressView } from './PullProgressView.js';

export function TaskOverview({
  task,
  now,
  pull,
  running,
  onExec,
}: {
  task: TaskDetail;
  now: number;
  pull: Readonly<Record<string, PullProgress>>;
  running: boolean;
  /** Opens an exec session in a running container (ECS Exec). */
  onExec?: (container: string) => void;
}) {
  return (
    <div className="detail-body">
      <section className="card">
        <dl className="kv kv-grid">
          <dt>Last status</dt>
          <dd data-testid="task-last-status">{task.lastStatus}</dd>
          <dt>Desired status</dt>
          <dd>{task.desiredStatus}</dd>
          <dt>Duration</dt>
          <dd className="tabular">{taskDuration(task, now)}</dd>
          <dt>Created</dt>
          <dd>{formatTime(task.createdAt)}</dd>
          <dt>Pull</dt>
          <dd>
            {task.pullStartedAt
              ? `${formatTime(task.pullStartedAt)} → ${formatTime(task.pullStoppedAt)}`
              : '—'}
          </dd>
          <dt>Started</dt>
          <dd>{formatTime(task.startedAt)}</dd>
          <dt>Stopping</dt>
          <dd>{formatTime(task.stoppingAt)}</dd>
          <dt>Stopped</dt>
          <dd>{formatTime(task.stoppedAt)}</dd>
          <dt>CPU / memory</dt>
          <dd>
            {task.cpu ?? '—'} / {task.memory ?? '—'}
          </dd>
          <dt>Group</dt>
          <dd data-testid="task-group">
            <GroupLink group={task.group} />
          </dd>
          {task.startedBy && (
            <>
              <dt>Started by</dt>
              <dd className="mono" data-testid="task-started-by">
                {task.startedBy}
              </dd>
            </>
          )}
        </dl>
      </section>
      <PullProgressView progress={pull} active={running && !task.pullStoppedAt} />
      <h2 className="section-title">Containers</h2>
      <div className="table-wrap">
        <table className="table" aria-label="Containers">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Health</th>
              <th>Exit</th>
              <th>Reason</th>
              <th>Image</th>
              <th>Ports</th>
              <th>
                <span className="visually-hidden">Exec</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {task.containers.map((c) => (
              <ContainerRow
                key={c.name}
                container={c}
                execEnabled={task.enableExecuteCommand === true}
                {...(onExec && running && c.lastStatus === 'RUNNING' ? { onExec: () => onExec(c.name) } : {})}
              />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function ContainerRow({
  container: c,
  execEnabled,
  onExec,
}: {
  container: ContainerDetail;
  execEnabled: boolean;
  onExec?: () => void;
}) {
  const waiting = c.dependencies.filter((d) => d.state === 'waiting');
  return (
    <tr data-testid={`container-row-${c.name}`}>
      <td>
        <strong>{c.name}</strong>
        {!c.essential && <div className="muted small">non-essential</div>}
      </td>
      <td>
        <StatusBadge status={c.lastStatus} />
        {c.phase !== c.lastStatus && <div className="muted small">{c.phase.toLowerCase()}</div>}
        {waiting.map((d) => (
          <div key={d.containerName} className="muted small">
            waiting for {d.containerName}: {d.condition}
          </div>
        ))}
      </td>
      <td>
        <HealthBadge health={c.healthStatus} />
      </td>
      <td className="mono" data-testid="exit-code">
        {c.exitCode ?? '—'}
      </td>
      <td className="reason">{c.reason ?? <span className="muted">—</span>}</td>
      <td>
        <div className="mono small">{c.image}</div>
        {c.imageDigest && (
          <div className="mono small muted" title={c.imageDigest}>
            {c.imageDigest.slice(0, 19)}…
          </div>
        )}
      </td>
      <td>
        {c.networkBindings.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          c.networkBindings.map((b, i) => (
            <div key={i} className="mono small">
              {b.bindIP}:{b.hostPort} → {b.containerPort}/{b.protocol}
            </div>
          ))
        )}
      </td>
      <td>
        {onExec && (
          <button
            className="button button-small"
            onClick={onExec}
            data-testid={`exec-${c.name}`}
            title={
              execEnabled
                ? `Open a shell in ${c.name} (ECS Exec)`
                : 'ECS Exec was not enabled when this task was run'
            }
          >
            {'>_'} Exec
          </button>
        )}
      </td>
    </tr>
  );
}

/** `service:web` links to the service's page; `family:web` is shown as it is. */
function GroupLink({ group }: { group: string }) {
  const service = group.startsWith('service:') ? group.slice('service:'.length) : undefined;
  if (!service) return <>{group}</>;
  return <a href={`#/services/${encodeURIComponent(service)}`}>{group}</a>;
}
