/** Messages between the logs viewer and its parsing worker (one worker per open task log). */
import type { LogLine } from '../../../../contract/dto.js';
import type { LogChunk } from './log-chunk.js';
import type { LogFrame } from './log-ingest.js';

/** How the worker fetches history itself (same origin, so the JSON never touches the main thread). */
export interface HistoryRequest {
  readonly url: string;
  readonly init: { readonly method: string; readonly headers: Record<string, string>; readonly body: string };
}

export type ToLogWorker =
  | { readonly kind: 'start'; readonly taskId: string; readonly history?: HistoryRequest }
  | { readonly kind: 'live'; readonly frame: LogFrame }
  /** History fetched by the page (when the worker cannot fetch it itself). */
  | { readonly kind: 'history'; readonly lines: readonly LogLine[] }
  /** The server dropped pushes: fetch again what came after the last line held. */
  | { readonly kind: 'resync' };

export type FromLogWorker =
  { readonly kind: 'chunk'; readonly chunk: LogChunk } | { readonly kind: 'loaded'; readonly error?: string };
