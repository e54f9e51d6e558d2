/** All tasks, running and stopped, newest first. Updates arrive by push only. */
import { navigate } from '../../app/router.js';
import { useShortcut } from '../../app/shortcuts.js';
import { EmptyState } from '../../components/EmptyState.js';
import { formatTime, shortId, taskDuration } from '../../components/format.js';
import { HealthBadge, StatusBadge, StopCodeBadge } from '../../components/StatusBadge.js';
import { useNow } from '../../components/use-now.js';
import { useTasks } from '../../queries/hooks.js';

export function TasksPage() {
  const tasks = useTasks();
  const list = tasks.data ?? [];
  const now = useNow(list.some((t) => t.lastStatus !== 'STOPPED'));
  const first = list[0];
  useShortcut('j', () => first && navigate({ name: 'tasks', id: first.taskId }), first !== undefined);

  if (tasks.isSuccess && list.length === 0) {
    return (
      <div className="page">
        <EmptyState
          title="No tasks yet"
          actions={
            <a className="button button-primary" href="#/definitions">
              Go to definitions
            </a>
          }
        >
          <p>
            Tasks appear here the moment you launch one — running and stopped, with their status changing live
            as Docker reports it. Pick a definition and press <strong>Launch</strong>.
          </p>
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="page tasks-page" data-testid="tasks-page">
      <header className="page-header">
        <h1>Tasks</h1>
        <span className="muted">
          {list.filter((t) => t.lastStatus !== 'STOPPED').length} running · {list.length} total
        </span>
      </header>
      <div className="table-wrap">
        <table className="table table-hover" aria-label="Tasks">
          <thead>
            <tr>
              <th>Family</th>
              <th>Status</th>
              <th>Health</th>
              <th>Stop code</th>
              <th>Started</th>
              <th>Duration</th>
              <th>Task</th>
            </tr>
          </thead>
          <tbody>
            {list.map((t) => (
              <tr
                key={t.taskId}
                data-testid="task-row"
                data-task-id={t.taskId}
                tabIndex={0}
                onClick={() => navigate({ name: 'tasks', id: t.taskId })}
                onKeyDown={(e) => e.key === 'Enter' && navigate({ name: 'tasks', id: t.taskId })}
              >
                <td>
                  <a
                    href={`#/tasks/${t.taskId}`}
                    className="strong-link"
                    onClick={(e) => e.stopPropagation()}
                  >
                    {t.family}
                  </a>
                  <span className="muted">:{t.revision}</span>
                </td>
                <td>
                  <StatusBadge status={t.lastStatus} />
                </td>
                <td>
                  <HealthBadge health={t.healthStatus} />
                </td>
                <td>
                  <StopCodeBadge code={t.stopCode} />
                </td>
                <td className="nowrap">{formatTime(t.startedAt ?? t.createdAt)}</td>
                <td className="nowrap tabular">{taskDuration(t, now)}</td>
                <td className="mono muted">{shortId(t.taskId)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
