/**
 * Docker's event stream as the engine's primary signal: one long-lived request filtered on our
 * label, reconnecting with `since` so nothing is missed across a drop.
 */
import { EventEmitter } from 'node:events';
import type Docker from './docker-client.js';

/** One Docker event (the fields the engine reads). */
export interface DockerEvent {
  readonly Type: string;
  readonly Action: string;
  readonly id?: string;
  readonly Actor: { readonly ID: string; readonly Attributes: Readonly<Record<string, string>> };
  readonly time: number;
  readonly timeNano: number;
}

export interface DockerEventStreamEvents {
  event: [DockerEvent];
  connected: [];
  disconnected: [Error];
}

/** Subscribes to Docker events with a label filter; emits `event`, reconnects on failure. */
export class DockerEventStream extends EventEmitter<DockerEventStreamEvents> {
  private stream: NodeJS.ReadableStream | undefined;
  private closed = false;
  private lastTimeNano = 0;
  private retryDelay = 250;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly docker: Docker,
    private readonly filters: Record<string, string[]>,
  ) {
    super();
  }

  /** Resolves once the first subscription is established (events from then on are delivered). */
  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const opts: { filters: string; since?: number } = { filters: JSON.stringify(this.filters) };
    // Replay from the last event seen (seconds resolution; duplicates are filtered by timeNano).
    if (this.lastTimeNano) opts.since = Math.floor(this.lastTimeNano / 1e9);
    const stream = (await this.docker.getEvents(opts as never)) as unknown as NodeJS.ReadableStream;
    if (this.closed) {
      (stream as unknown as { destroy?: () => void }).destroy?.();
      return;
    }
    this.stream = stream;
    this.retryDelay = 250;
    this.emit('connected');
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        let ev: DockerEvent;
        try {
          ev = JSON.parse(line) as DockerEvent;
        } catch {
          continue;
        }
        if (ev.timeNano && ev.timeNano <= this.lastTimeNano && opts.since !== undefined) continue;
        if (ev.timeNano > this.lastTimeNano) this.lastTimeNano = ev.timeNano;
        this.emit('event', ev);
      }
    });
    const onEnd = (err?: Error) => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      if (this.closed) return;
      this.emit('disconnected', err ?? new Error('docker event stream ended'));
      this.scheduleReconnect();
    };
    stream.on('end', () => onEnd());
    stream.on('error', (err: Error) => onEnd(err));
    stream.on('close', () => onEnd());
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().catch((err: Error) => {
        this.emit('disconnected', err);
        this.retryDelay = Math.min(this.retryDelay * 2, 5000);
        this.scheduleReconnect();
      });
    }, this.retryDelay);
  }

  /** Stops listening for good. */
  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const s = this.stream as unknown as { destroy?: () => void } | undefined;
    this.stream = undefined;
    s?.destroy?.();
  }
}
