/**
 * Subscribes to every push topic and writes into react-query's cache. This is the only way task
 * state reaches the screen after the first fetch: no polling.
 */
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type {
  DockerConnectionStatus,
  HealthProbe,
  PullProgress,
  ResourceSamples,
  TaskResources,
  TaskStateChangeEvent,
} from '../../../contract/dto.js';
import { mergeLiveSamples } from '../features/resources/resource-model.js';
import { useApi } from '../api/api-context.js';
import { useToasts } from '../components/Toasts.js';
import { queryKeys } from './keys.js';
import { mergeTasks } from './hooks.js';

export function usePushUpdates(): void {
  const { bridge } = useApi();
  const qc = useQueryClient();
  const { push } = useToasts();

  useEffect(() => {
    const offs = [
      bridge.subscribe('tasks:changed', ({ event, task }) => {
        const before = qc.getQueryData<{ lastStatus: string }>(queryKeys.task(task.taskId));
        mergeTasks(qc, [task]);
        // The events feed grows by push; probes and endpoint documents are re-read on a change.
        qc.setQueryData<readonly TaskStateChangeEvent[]>(queryKeys.events(task.taskId), (prev) =>
          prev === undefined || prev.some((e) => e.id === event.id) ? prev : [...prev, event],
        );
        qc.invalidateQueries({ queryKey: queryKeys.probes(task.taskId) });
        qc.invalidateQueries({ queryKey: ['endpoints', task.taskId] });
        // A container that stopped: its chart shows it (live flag, the final samples).
        qc.invalidateQueries({ queryKey: queryKeys.stats(task.taskId) });
        if (
          task.lastStatus === 'STOPPED' &&
          before?.lastStatus !== 'STOPPED' &&
          task.stopCode === 'TaskFailedToStart'
        ) {
          push({
            kind: 'error',
            title: `${task.family} failed to start`,
            message: task.stoppedReason ?? 'The task stopped before it was running.',
          });
        }
      }),
      bridge.subscribe('pull:progress', (batch: readonly PullProgress[]) => {
        const byTask = new Map<string, PullProgress[]>();
        for (const p of batch) byTask.set(p.taskId, [...(byTask.get(p.taskId) ?? []), p]);
        for (const [taskId, items] of byTask) {
          qc.setQueryData<Readonly<Record<string, PullProgress>>>(queryKeys.pull(taskId), (prev) => {
            const next = { ...(prev ?? {}) };
            for (const p of items) next[`${p.container}\0${p.layer}`] = p;
            return next;
          });
        }
      }),
      bridge.subscribe('health:probes', ({ taskId, container, probes }) => {
        qc.setQueryData<Readonly<Record<string, readonly HealthProbe[]>>>(
          queryKeys.probes(taskId),
          (prev) => {
            if (prev === undefined) return prev;
            const known = new Set((prev[container] ?? []).map((p) => p.start));
            const added = probes.filter((p) => !known.has(p.start));
            return added.length ? { ...prev, [container]: [...(prev[container] ?? []), ...added] } : prev;
          },
        );
      }),
      bridge.subscribe('stats:samples', (batch: readonly ResourceSamples[]) => {
        // Only tasks whose Resources tab fetched a history are kept up to date.
        for (const taskId of new Set(batch.map((b) => b.taskId))) {
          qc.setQueryData<TaskResources>(queryKeys.stats(taskId), (prev) =>
            prev === undefined ? prev : mergeLiveSamples(prev, batch),
          );
        }
      }),
      bridge.subscribe('docker:status', (status: DockerConnectionStatus) => {
        const before = qc.getQueryData<DockerConnectionStatus>(queryKeys.docker);
        qc.setQueryData(queryKeys.docker, status);
        if (status.connected && !before?.connected) qc.invalidateQueries({ queryKey: queryKeys.tasks });
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [bridge, qc, push]);
}
