/**
 * One task's LogStore, fed off the main thread: in web mode a worker follows the task's own log
 * socket and fetches the history (log-feed.ts), so no log line touches the page's main thread
 * before it arrives as a packed chunk; in Electron, IPC hands over parsed lines to the same ingest.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { RawLogFeed } from '../../api/http-bridge.js';
import { useApi } from '../../api/api-context.js';
import { LogFeed } from './log-feed.js';
import { LogIngest } from './log-ingest.js';
import { LogStore } from './log-store.js';
import type { FromLogWorker, ToLogWorker } from './log-worker-protocol.js';

/** History the viewer asks for on open (the contract's maximum). */
const HISTORY_LIMIT = 200_000;

function startWorker(): Worker | undefined {
  try {
    return new Worker(new URL('./log-worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return undefined;
  }
}

/** The task's log store and its version (re-renders on change). */
export function useTaskLogs(taskId: string): { store: LogStore; version: number } {
  const { bridge, call } = useApi();
  const store = useMemo(() => {
    void taskId;
    return new LogStore();
  }, [taskId]);
  useEffect(() => {
    const raw = (bridge as Partial<{ raw: RawLogFeed }>).raw;
    if (raw) {
      const request = {
        taskId,
        socket: raw.logSocket(taskId),
        history: raw.operationRequest('tasks:logs', { taskId, limit: HISTORY_LIMIT }),
      };
      const take = (m: FromLogWorker) => {
        if (m.kind === 'chunk') store.add(m.chunk);
        else store.markLoaded(m.error);
      };
      const worker = startWorker();
      if (worker) {
        worker.onmessage = (ev: MessageEvent<FromLogWorker>) => take(ev.data);
        worker.postMessage({ kind: 'start', ...request } satisfies ToLogWorker);
        return () => worker.terminate();
      }
      // No worker: the same feed, on the page.
      const feed = new LogFeed(request, take);
      feed.start();
      return () => feed.stop();
    }
    // On the page: Electron's IPC hands over parsed lines already.
    const ingest = new LogIngest(taskId);
    const off = bridge.subscribe('logs:lines', (batch) => {
      for (const c of ingest.live(batch)) store.add(c);
    });
    let live = true;
    call('tasks:logs', { taskId, limit: HISTORY_LIMIT })
      .then((history) => {
        if (!live) return;
        for (const c of ingest.history(history)) store.add(c);
        store.markLoaded();
      })
      .catch((e: unknown) => {
        if (!live) return;
        for (const c of ingest.history([])) store.add(c);
        store.markLoaded((e as Error).message);
      });
    return () => {
      live = false;
      off();
    };
  }, [bridge, call, store, taskId]);
  const version = useSyncExternalStore(store.subscribe, store.snapshot);
  return { store, version };
}
