/** One task: status, timestamps, containers; Stop and Re-run. Tabs leave room for more views. */
import { useState } from 'react';
import type { ContainerDetail, TaskDetail } from '../../../../contract/dto.js';
import { useShortcut } from '../../app/shortcuts.js';
import { formatTime, taskDuration } from '../../components/format.js';
import { HealthBadge, StatusBadge, StopCodeBadge } from '../../components/StatusBadge.js';
import { Tabs } from '../../components/Tabs.js';
import { errorToast, useToasts } from '../../components/Toasts.js';
import { useNow } from '../../components/use-now.js';
import {
  useDefinition,
  useLaunchRecord,
  usePullProgress,
  useStopTask,
  useTask,
} from '../../queries/hooks.js';
import { LaunchDialog } from '../launch/LaunchDialog.js';
import { PullProgressView } from './PullProgressView.js';
import { StopDialog } from './StopDialog.js';

type Tab = 'overview' | 'graph' | 'timeline' | 'health' | 'logs' | 'network' | 'events';

export function TaskDetailPage({ taskId }: { taskId: string }) {
  const query = useTask(taskId);
  if (query.isError) {
    return (
      <div className="page">
        <a href="#/tasks" className="back-link">
          ← Tasks
        </a>
        <p className="text-error">{query.error.message}</p>
      </div>
    );
  }
  if (!query.data) return <div className="page muted">Loading…</div>;
  return <TaskDetailView task={query.data} />;
}

function TaskDetailView({ task }: { task: TaskDetail }) {
  const [tab, setTab] = useState<Tab>('overview');
  const [stopping, setStopping] = useState(false);
  const [rerunning, setRerunning] = useState(false);
  const stop = useStopTask();
  const record = useLaunchRecord(task.taskId);
  const definitionId = record.data?.definitionId ?? task.definitionId;
  const definition = useDefinition(definitionId);
  const pull = usePullProgress(task.taskId);
  const { push } = useToasts();
  const running = task.lastStatus !== 'STOPPED';
  const now = useNow(running);
  const canStop = running && task.desiredStatus !== 'STOPPED';
  const canRerun = definition.data?.definition !== undefined;

  useShortcut('s', () => setStopping(true), canStop);
  useShortcut('r', () => setRerunning(true), canRerun);

  return (
    <div className="page task-detail" data-testid="task-detail" data-task-id={task.taskId}>
      <a href="#/tasks" className="back-link">
        ← Tasks
      </a>
      <header className="detail-header">
        <div>
          <div className="eyebrow mono">{task.taskArn}</div>
          <h1>
            {task.family}
            <span className="muted">:{task.revision}</span>
          </h1>
          <div className="meta-row">
            <StatusBadge status={task.lastStatus} />
            <HealthBadge health={task.healthStatus} />
            {task.desiredStatus === 'STOPPED' && running && (
              <span className="badge badge-warn badge-outline">stop requested</span>
            )}
            {task.stopCode && <StopCodeBadge code={task.stopCode} />}
            <span className="chip">{task.networkMode}</span>
          </div>
        </div>
        <div className="actions">
          <button
            className="button"
            disabled={!canRerun}
            title={canRerun ? 'Re-run (r)' : 'The definition this task came from is not in the library'}
            onClick={() => setRerunning(true)}
          >
            ↻ Re-run
          </button>
          <button
            className="button button-danger"
            disabled={!canStop}
            title="Stop (s)"
            onClick={() => setStopping(true)}
          >
            ■ Stop
          </button>
        </div>
      </header>
      {task.stoppedReason && (
        <div
          className={`callout ${task.stopCode === 'TaskFailedToStart' ? 'callout-error' : 'callout-muted'}`}
          data-testid="stopped-reason"
        >
          <strong>Stopped reason:</strong> {task.stoppedReason}
        </div>
      )}
      <Tabs<Tab>
        tabs={[
          { key: 'overview', label: 'Overview' },
          { key: 'graph', label: 'Graph', disabled: true },
          { key: 'timeline', label: 'Timeline', disabled: true },
          { key: 'health', label: 'Health', disabled: true },
          { key: 'logs', label: 'Logs', disabled: true },
          { key: 'network', label: 'Network', disabled: true },
          { key: 'events', label: 'Events', disabled: true },
        ]}
        active={tab}
        onChange={setTab}
      />
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
              </tr>
            </thead>
            <tbody>
              {task.containers.map((c) => (
                <ContainerRow key={c.name} container={c} />
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {stopping && (
        <StopDialog
          family={task.family}
          pending={stop.isPending}
          onClose={() => setStopping(false)}
          onStop={(reason) =>
            stop.mutate(
              { taskId: task.taskId, ...(reason.trim() ? { reason: reason.trim() } : {}) },
              {
                onSuccess: () => setStopping(false),
                onError: (e) => push(errorToast('Could not stop the task', e)),
              },
            )
          }
        />
      )}
      {rerunning && definition.data?.definition && definitionId && (
        <LaunchDialog
          definitionId={definitionId}
          definition={definition.data.definition}
          rerun={{ taskId: task.taskId, record: record.data }}
          onClose={() => setRerunning(false)}
        />
      )}
    </div>
  );
}

function ContainerRow({ container: c }: { container: ContainerDetail }) {
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
    </tr>
  );
}
