/**
 * The logs worker: the task's log socket, the history fetch, JSON parsing, ANSI stripping and
 * columnar packing all happen here (see log-feed.ts), off the main thread, so a 200 000-line
 * history or a flood of live lines never blocks a frame. The page gets transferred chunks (typed
 * arrays move, they are not copied).
 */
import { transferables } from './log-chunk.js';
import { LogFeed } from './log-feed.js';
import type { FromLogWorker, ToLogWorker } from './log-worker-protocol.js';

// The worker's global scope, typed narrowly (the renderer's lib is DOM, not WebWorker).
const scope = self as unknown as {
  onmessage: ((ev: MessageEvent<ToLogWorker>) => void) | null;
  postMessage(message: FromLogWorker, transfer?: Transferable[]): void;
};

let feed: LogFeed | undefined;

scope.onmessage = (ev) => {
  const m = ev.data;
  if (m.kind !== 'start' || feed) return;
  feed = new LogFeed(m, (out) =>
    out.kind === 'chunk' ? scope.postMessage(out, transferables(out.chunk)) : scope.postMessage(out),
  );
  feed.start();
};
