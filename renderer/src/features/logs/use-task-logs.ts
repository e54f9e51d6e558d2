/** Subscribes a LogStore to `logs:lines` for one task and loads its history once. */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { useApi } from '../../api/api-context.js';
import { LogStore } from './log-store.js';

/** History the viewer asks for on open (the contract's maximum). */
const HISTORY_LIMIT = 200_000;

/** The task's log store and its version (re-renders on change). */
export function useTaskLogs(taskId: string): { store: LogStore; version: number; error?: string } {
  const { bridge, call } = useApi();
  const store = useMemo(() => {
    void taskId;
    return new LogStore();
  }, [taskId]);
  useEffect(() => {
    const off = bridge.subscribe('logs:lines', (batch) => {
      const mine = batch.filter((l) => l.taskId === taskId);
      if (mine.length) store.append(mine);
    });
    let live = true;
    call('tasks:logs', { taskId, limit: HISTORY_LIMIT })
      .then((history) => live && store.loadHistory(history))
      .catch(() => live && store.loadHistory([]));
    return () => {
      live = false;
      off();
    };
  }, [bridge, call, store, taskId]);
  const version = useSyncExternalStore(store.subscribe, store.snapshot);
  return { store, version };
}
