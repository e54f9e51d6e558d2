/** Graph tab of a task: the live graph; clicking a node shows that container's details and logs. */
import { useMemo, useState } from 'react';
import type { TaskDefinitionView, TaskDetail } from '../../../../contract/dto.js';
import { formatTime } from '../../components/format.js';
import { HealthBadge, StatusBadge } from '../../components/StatusBadge.js';
import { LogsViewer } from '../logs/LogsViewer.js';
import { DependencyGraph } from './DependencyGraph.js';
import { graphFromTask } from './graph-model.js';

export function TaskGraphTab({
  task,
  definition,
}: {
  task: TaskDetail;
  definition: TaskDefinitionView | null | undefined;
}) {
  const model = useMemo(() => graphFromTask(task, definition), [task, definition]);
  const [selected, setSelected] = useState<string | undefined>();
  const c = task.containers.find((x) => x.name === selected);
  return (
    <div className="graph-tab">
      <div className="graph-legend muted small">
        <span className="legend-item legend-waiting">waiting</span>
        <span className="legend-item legend-met">released</span>
        <span className="legend-item legend-failed">failed</span>
        <span className="legend-item legend-declared">declared</span>
        <span>
          Arrows point from a container to the ones that depend on it. Click a container for details and logs.
        </span>
      </div>
      <DependencyGraph
        model={model}
        selected={selected}
        onSelect={(n) => setSelected(n === selected ? undefined : n)}
      />
      {c ? (
        <section className="card container-panel" data-testid="container-panel">
          <div className="card-header">
            <h3>{c.name}</h3>
            <div className="card-badges">
              <StatusBadge status={c.lastStatus} />
              <HealthBadge health={c.healthStatus} />
              {!c.essential && <span className="badge badge-muted badge-outline">non-essential</span>}
            </div>
            <button className="icon-button" aria-label="Close details" onClick={() => setSelected(undefined)}>
              ×
            </button>
          </div>
          <dl className="kv kv-grid">
            <dt>Image</dt>
            <dd className="mono">{c.image}</dd>
            <dt>Phase</dt>
            <dd>{c.phase.toLowerCase()}</dd>
            <dt>Exit code</dt>
            <dd className="mono">{c.exitCode ?? '—'}</dd>
            <dt>Started</dt>
            <dd>{formatTime(c.startedAt)}</dd>
            <dt>Finished</dt>
            <dd>{formatTime(c.finishedAt)}</dd>
            {c.reason && (
              <>
                <dt>Reason</dt>
                <dd className="reason">{c.reason}</dd>
              </>
            )}
            {c.dependencies.length > 0 && (
              <>
                <dt>Depends on</dt>
                <dd>
                  {c.dependencies.map((d) => (
                    <div key={`${d.containerName}:${d.condition}`} className={`dep-line dep-${d.state}`}>
                      <strong>{d.containerName}</strong> {d.condition} — {d.state}
                      {d.state !== 'met' && <span className="muted"> · {d.detail}</span>}
                    </div>
                  ))}
                </dd>
              </>
            )}
          </dl>
          <div className="container-panel-logs">
            <LogsViewer key={c.name} task={task} container={c.name} />
          </div>
        </section>
      ) : null}
    </div>
  );
}
