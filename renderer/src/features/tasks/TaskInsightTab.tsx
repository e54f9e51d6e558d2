/** The visual-debugging tabs of a task (everything but Overview), sharing the task's definition. */
import type { TaskDetail } from '../../../../contract/dto.js';
import { useHealthProbes, useTaskDefinitionView, useTaskEvents } from '../../queries/insight-hooks.js';
import { EventsFeed } from '../events/EventsFeed.js';
import { TaskGraphTab } from '../graph/TaskGraphTab.js';
import { HealthTimeline } from '../health/HealthTimeline.js';
import { LogsViewer } from '../logs/LogsViewer.js';
import { NetworkInspector } from '../network/NetworkInspector.js';
import { ResourcesTab } from '../resources/ResourcesTab.js';
import { LaunchTimeline } from '../timeline/LaunchTimeline.js';

export type InsightTab = 'graph' | 'timeline' | 'health' | 'logs' | 'network' | 'events' | 'resources';

const NO_PROBES: Readonly<Record<string, never>> = {};

/** A moment to show in another tab (log line → timeline, timeline → logs). */
export interface InsightFocus {
  readonly tab: 'timeline' | 'logs';
  readonly ms: number;
}

export function TaskInsightTab({
  tab,
  task,
  focus,
  onFocus,
}: {
  tab: InsightTab;
  task: TaskDetail;
  focus?: InsightFocus | undefined;
  /** Switches to `focus.tab` and shows the moment there. */
  onFocus?: ((focus: InsightFocus) => void) | undefined;
}) {
  const definition = useTaskDefinitionView(task.taskId);
  const probes = useHealthProbes(task.taskId);
  const events = useTaskEvents(task.taskId);
  switch (tab) {
    case 'graph':
      return <TaskGraphTab task={task} definition={definition.data} />;
    case 'timeline':
      return (
        <LaunchTimeline
          task={task}
          probes={probes.data ?? NO_PROBES}
          definition={definition.data}
          highlightAt={focus?.tab === 'timeline' ? focus : undefined}
          onShowLogsAt={onFocus && ((ms) => onFocus({ tab: 'logs', ms }))}
        />
      );
    case 'health':
      return <HealthTimeline task={task} probes={probes.data ?? NO_PROBES} definition={definition.data} />;
    case 'logs':
      return (
        <LogsViewer
          task={task}
          jumpTo={focus?.tab === 'logs' ? focus : undefined}
          onShowOnTimeline={onFocus && ((ms) => onFocus({ tab: 'timeline', ms }))}
        />
      );
    case 'network':
      return <NetworkInspector task={task} />;
    case 'resources':
      return <ResourcesTab task={task} />;
    case 'events':
      return events.isError ? (
        <p className="text-error">{events.error.message}</p>
      ) : (
        <EventsFeed events={events.data ?? []} />
      );
  }
}
