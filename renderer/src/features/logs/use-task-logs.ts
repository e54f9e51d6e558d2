/**
 * One task's LogStore, fed off the main thread: in web mode a worker fetches the history and parses
 * every live `logs:lines` frame itself (the page only forwards the frame's text); elsewhere (Electron,
 * or no Worker) the same ingest runs on the page.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { RawLogFeed } from '../../api/http-bridge.js';
import { useApi } from '../../api/api-context.js';
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
    const worker = raw ? startWorker() : undefined;
    if (raw && worker) {
      worker.onmessage = (ev: MessageEvent<FromLogWorker>) => {
        const m = ev.data;
        if (m.kind === 'chunk') store.add(m.chunk);
        else store.markLoaded(m.error);
      };
      const send = (m: ToLogWorker) => worker.postMessage(m);
      const off = raw.rawLogs((frame) => send({ kind: 'live', frame }));
      const offResync = raw.onResync(() => send({ kind: 'resync' }));
      send({
        kind: 'start',
        taskId,
        history: raw.operationRequest('tasks:logs', { taskId, limit: HISTORY_LIMIT }),
      });
      return () => {
        off();
        offResync();
        worker.terminate();
      };
    }
    // On the page: Electron's IPC hands over parsed lines already.
    const ingest = new LogIngest(taskId);
    const off = bridge.subscribe('logs:lines', (batch) => {
      for (const c of ingest.live(batch)) store.add(c);
    });
    let live = true;
    // Web mode without a worker: after dropped pushes, fetch again what came after the last line.
    const offResync = raw?.onResync(() => {
      if (!ingest.loaded) return; // the first history answer is still coming and covers it
      ingest.resync();
      call('tasks:logs', { taskId, afterSeq: ingest.lastSeen, limit: HISTORY_LIMIT })
        .then((missed) => {
          if (live) for (const c of ingest.history(missed)) store.add(c);
        })
        .catch(() => {
          if (live) for (const c of ingest.history([])) store.add(c);
        });
    });
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
      offResync?.();
    };
  }, [bridge, call, store, taskId]);
  const version = useSyncExternalStore(store.subscribe, store.snapshot);
  return { store, version };
}
