/**
 * The logs worker: JSON parsing, ANSI stripping and columnar packing happen here, off the main
 * thread, so a 200 000-line history or a flood of live batches never blocks a frame. The page gets
 * transferred chunks (typed arrays move, they are not copied).
 */
import type { LogLine } from '../../../../contract/dto.js';
import { transferables, type LogChunk } from './log-chunk.js';
import { LogIngest } from './log-ingest.js';
import type { FromLogWorker, HistoryRequest, ToLogWorker } from './log-worker-protocol.js';

// The worker's global scope, typed narrowly (the renderer's lib is DOM, not WebWorker).
const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<ToLogWorker>) => void) | null;
  postMessage(message: FromLogWorker, transfer?: Transferable[]): void;
};

let ingest: LogIngest | undefined;
let historyRequest: HistoryRequest | undefined;

const post = (chunks: readonly LogChunk[]) => {
  for (const chunk of chunks) scope.postMessage({ kind: 'chunk', chunk }, transferables(chunk));
};

async function loadHistory(request: HistoryRequest): Promise<void> {
  let lines: readonly LogLine[] = [];
  let error: string | undefined;
  try {
    const res = await fetch(request.url, request.init);
    const body = (await res.json()) as { ok: boolean; value?: LogLine[]; error?: { message: string } };
    if (body.ok) lines = body.value ?? [];
    else error = body.error?.message ?? 'history not available';
  } catch (err) {
    error = (err as Error).message;
  }
  if (!ingest) return;
  post(ingest.history(lines));
  scope.postMessage(error ? { kind: 'loaded', error } : { kind: 'loaded' });
}

scope.onmessage = (ev) => {
  const m = ev.data;
  switch (m.kind) {
    case 'start':
      ingest = new LogIngest(m.taskId);
      historyRequest = m.history;
      // loadHistory reports its own failures as a `loaded` message with the error.
      if (m.history)
        loadHistory(m.history).catch((err: unknown) =>
          scope.postMessage({ kind: 'loaded', error: String(err) }),
        );
      return;
    case 'live':
      if (ingest) post(ingest.live(m.frame));
      return;
    case 'resync': {
      // Before the first history answer there is nothing to re-fetch after: that answer covers it.
      if (!ingest?.loaded || !historyRequest) return;
      ingest.resync();
      const body = { ...(JSON.parse(historyRequest.init.body) as object), afterSeq: ingest.lastSeen };
      loadHistory({ ...historyRequest, init: { ...historyRequest.init, body: JSON.stringify(body) } }).catch(
        (err: unknown) => scope.postMessage({ kind: 'loaded', error: String(err) }),
      );
      return;
    }
    case 'history':
      if (!ingest) return;
      post(ingest.history(m.lines));
      scope.postMessage({ kind: 'loaded' });
      return;
  }
};
