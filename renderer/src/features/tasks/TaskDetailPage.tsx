/** One task: header with Stop and Re-run; Overview plus the visual-debugging tabs. */
import { useState } from 'react';
import type { TaskDetail } from '../../../../contract/dto.js';
import { useShortcut } from '../../app/shortcuts.js';
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
import { ExecNotEnabledDialog } from '../exec/ExecNotEnabledDialog.js';
import { ExecPanel, type ExecTab } from '../exec/ExecPanel.js';
import { LaunchDialog } from '../launch/LaunchDialog.js';
import { StopDialog } from './StopDialog.js';
import { TaskInsightTab, type InsightFocus, type InsightTab } from './TaskInsightTab.js';
import { TaskOverview } from './TaskOverview.js';

type Tab = 'overview' | InsightTab;

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
  const [focus, setFocus] = useState<InsightFocus | undefined>(undefined);
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
  const [execTabs, setExecTabs] = useState<readonly ExecTab[]>([]);
  const [activeExec, setActiveExec] = useState<number | undefined>();
  const [nextExecKey, setNextExecKey] = useState(1);
  const [execRefused, setExecRefused] = useState<string | undefined>();
  const openExec = (container: string): void => {
    if (!task.enableExecuteCommand) {
      setExecRefused(container);
      return;
    }
    const key = nextExecKey;
    setNextExecKey(key + 1);
    setExecTabs((tabs) => [...tabs, { key, container }]);
    setActiveExec(key);
  };
  const closeExec = (key: number): void => {
    const rest = execTabs.filter((t) => t.key !== key);
    setExecTabs(rest);
    if (activeExec === key) setActiveExec(rest.at(-1)?.key);
  };

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
            {task.enableExecuteCommand && (
              <span className="chip" title="Run with enableExecuteCommand: Exec opens a shell">
                ECS Exec
              </span>
            )}
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
      {task.credentialsWarning && (
        <div className="callout callout-warn" role="alert" data-testid="credentials-warning">
          <strong>Own AWS credentials:</strong> {task.credentialsWarning}
        </div>
      )}
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
          { key: 'graph', label: 'Graph' },
          { key: 'timeline', label: 'Timeline' },
          { key: 'health', label: 'Health' },
          { key: 'logs', label: 'Logs' },
          { key: 'network', label: 'Network' },
          { key: 'resources', label: 'Resources' },
          { key: 'events', label: 'Events' },
        ]}
        active={tab}
        onChange={setTab}
      />
      {tab === 'overview' ? (
        <TaskOverview task={task} now={now} pull={pull} running={running} onExec={openExec} />
      ) : (
        <div className="detail-body">
          <TaskInsightTab
            tab={tab}
            task={task}
            focus={focus}
            onFocus={(f) => {
              setFocus(f);
              setTab(f.tab);
            }}
          />
        </div>
      )}
      <ExecPanel
        taskId={task.taskId}
        tabs={execTabs}
        active={activeExec}
        onActivate={setActiveExec}
        onClose={closeExec}
      />
      {execRefused && (
        <ExecNotEnabledDialog
          taskId={task.taskId}
          container={execRefused}
          canRerun={canRerun}
          onClose={() => setExecRefused(undefined)}
        />
      )}
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
