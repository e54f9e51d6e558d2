/**
 * Whether the engine's Docker daemon answers, learnt from the event stream: a stream that drops is
 * checked with a ping (a benign drop reconnects at once and changes nothing); a failed ping, or a
 * failed reconnect, makes Docker "unreachable since" the drop, until the stream connects again.
 */
import { EventEmitter } from 'node:events';

/** Docker as the engine sees it. */
export type DockerReachabilityState =
  | { readonly reachable: true }
  | {
      readonly reachable: false;
      /** When the connection was lost (ISO). */
      readonly since: string;
      /** The last error seen (e.g. `connect ENOENT /var/run/docker.sock`). */
      readonly error: string;
    };

/** The event stream's signals this tracker listens to. */
export interface ReachabilitySignals {
  on(name: 'connected', listener: () => void): unknown;
  on(name: 'disconnected', listener: (err: Error) => void): unknown;
}

export interface DockerReachabilityOptions {
  /** Resolves when Docker answers a ping, rejects otherwise. */
  readonly ping: () => Promise<unknown>;
  /** A ping that has not answered by then counts as failed. Default 5 000 ms. */
  readonly pingTimeoutMs?: number;
  readonly now?: () => Date;
}

/** `hh:mm:ss` of an ISO time, in the process's local time zone. */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "Docker unreachable since hh:mm:ss, retrying" (the status line for app, CLI and refusals). */
export function unreachableLine(since: string): string {
  return `Docker unreachable since ${clockTime(since)}, retrying`;
}

/** Why a new task is refused while Docker is away (nothing was created). */
export function refusedRunMessage(state: Extract<DockerReachabilityState, { reachable: false }>): string {
  return `${unreachableLine(state.since)}: no new task was started (${state.error}). Run it again once Docker is back.`;
}

/** Raised by RunTask while Docker is unreachable. */
export class DockerUnreachableError extends Error {
  readonly code = 'DockerUnreachable';
  constructor(readonly state: Extract<DockerReachabilityState, { reachable: false }>) {
    super(refusedRunMessage(state));
    this.name = 'DockerUnreachableError';
  }
}

/** Tracks reachability from the event stream; emits `change` on every transition. */
export class DockerReachability extends EventEmitter<{ change: [DockerReachabilityState] }> {
  private current: DockerReachabilityState = { reachable: true };
  /** Bumped on every `connected`: a ping answered after a reconnect must not go back in time. */
  private epoch = 0;
  private readonly now: () => Date;

  constructor(
    signals: ReachabilitySignals,
    private readonly opts: DockerReachabilityOptions,
  ) {
    super();
    this.now = opts.now ?? (() => new Date());
    signals.on('disconnected', (err) => this.onDisconnected(err));
    signals.on('connected', () => this.onConnected());
  }

  state(): DockerReachabilityState {
    return this.current;
  }

  private onDisconnected(err: Error): void {
    const message = err.message || String(err);
    if (!this.current.reachable) {
      // Still away: keep the first time, show the newest reason.
      if (this.current.error !== message) this.set({ ...this.current, error: message });
      return;
    }
    const at = this.now().toISOString();
    const epoch = this.epoch;
    this.ping().then(
      () => undefined,
      (pingErr: unknown) => {
        if (epoch !== this.epoch || !this.current.reachable) return;
        this.set({ reachable: false, since: at, error: (pingErr as Error)?.message || message });
      },
    );
  }

  private ping(): Promise<unknown> {
    const ms = this.opts.pingTimeoutMs ?? 5_000;
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      this.opts.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Docker did not answer a ping within ${ms} ms`)), ms);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  private onConnected(): void {
    this.epoch++;
    if (!this.current.reachable) this.set({ reachable: true });
  }

  private set(next: DockerReachabilityState): void {
    this.current = next;
    this.emit('change', next);
  }
}
