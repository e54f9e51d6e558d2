/**
 * One task's log lines from the server, into chunks: a WebSocket of its own that carries only this
 * task's `logs:lines` (`/ws?topics=logs:lines&logsOf=…`), plus the history. Runs in the log worker,
 * so in web mode no log line is received, decoded or parsed on the page's main thread (or on the
 * page where no worker exists). The history is fetched once the socket is open, so no line falls
 * between the two; after a lost connection it reconnects with backoff and fetches the history
 * again, which fills the gap (lines already held are skipped by `seq`). A resync from the server
 * (it dropped lines for a socket that read too slowly) is handled the same way.
 */
import type { LogLine } from '../../../../contract/dto.js';
import type { LogChunk } from './log-chunk.js';
import { LogIngest } from './log-ingest.js';

/** How to fetch the history (same origin, the token in a header). */
export interface HistoryRequest {
  readonly url: string;
  readonly init: { readonly method: string; readonly headers: Record<string, string>; readonly body: string };
}

/** How to open the task's log socket (the token rides in a subprotocol value, never the URL). */
export interface LogSocketRequest {
  readonly url: string;
  readonly protocols: readonly string[];
}

export interface FeedRequest {
  readonly taskId: string;
  readonly history: HistoryRequest;
  readonly socket: LogSocketRequest;
}

export type FeedOutput =
  { readonly kind: 'chunk'; readonly chunk: LogChunk } | { readonly kind: 'loaded'; readonly error?: string };

/** What the feed needs from its global scope (injected in tests). */
export interface FeedEnv {
  openSocket(url: string, protocols: readonly string[]): WebSocket;
  fetch(url: string, init: HistoryRequest['init']): Promise<{ json(): Promise<unknown> }>;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserEnv = (): FeedEnv => ({
  openSocket: (url, protocols) => new WebSocket(url, [...protocols]),
  fetch: (url, init) => fetch(url, init),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
});

const MAX_RETRY_MS = 5000;
/** How a `WebResyncMessage` starts on the wire (checked before any parse). */
const RESYNC_PREFIX = '{"resync"';

export class LogFeed {
  private readonly ingest: LogIngest;
  private socket: WebSocket | undefined;
  private timer: unknown;
  private retryMs = 250;
  private stopped = false;
  /** The first history answer was delivered (the viewer stops saying "loading"). */
  private loaded = false;

  constructor(
    private readonly request: FeedRequest,
    private readonly emit: (out: FeedOutput) => void,
    private readonly env: FeedEnv = browserEnv(),
  ) {
    this.ingest = new LogIngest(request.taskId);
  }

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.env.clearTimeout(this.timer);
    this.socket?.close();
  }

  private connect(): void {
    const ws = this.env.openSocket(this.request.socket.url, this.request.socket.protocols);
    this.socket = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.retryMs = 250;
      // Live lines wait for the history answer (again, after a reconnect: it fills the gap).
      this.ingest.hold();
      this.loadHistory();
    };
    ws.onmessage = (ev: MessageEvent<unknown>) => {
      if (typeof ev.data !== 'string') return;
      if (ev.data.startsWith(RESYNC_PREFIX)) {
        // The server dropped lines for this socket (we read too slowly): the history fills the
        // gap, as after a reconnect; live lines wait for it.
        this.ingest.hold();
        this.loadHistory();
        return;
      }
      this.post(this.ingest.live(ev.data));
    };
    ws.onclose = () => {
      if (this.stopped) return;
      // Never opened: show the history anyway while retrying.
      if (!opened && !this.loaded) this.loadHistory();
      this.timer = this.env.setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    };
  }

  private loadHistory(): void {
    const { url, init } = this.request.history;
    this.env
      .fetch(url, init)
      .then((res) => res.json())
      .then((body) => {
        const b = body as { ok?: boolean; value?: LogLine[]; error?: { message?: string } };
        if (b.ok) this.deliverHistory(b.value ?? []);
        else this.deliverHistory([], b.error?.message ?? 'history not available');
      })
      .catch((err: unknown) => this.deliverHistory([], (err as Error).message));
  }

  private deliverHistory(lines: readonly LogLine[], error?: string): void {
    if (this.stopped) return;
    this.post(this.ingest.history(lines));
    if (this.loaded) return;
    this.loaded = true;
    this.emit(error ? { kind: 'loaded', error } : { kind: 'loaded' });
  }

  private post(chunks: readonly LogChunk[]): void {
    for (const chunk of chunks) this.emit({ kind: 'chunk', chunk });
  }
}
