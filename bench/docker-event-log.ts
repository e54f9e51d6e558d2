/**
 * The benchmark's own subscription to Docker's event stream: every container event carrying the
 * run label, with Docker's timestamp and the time this process received it. All latencies in the
 * benchmark are measured from these timestamps.
 */
import type Docker from 'dockerode';
import { nowMs } from './clock.js';

/** One Docker container event as the benchmark keeps it. */
export interface SeenEvent {
  readonly action: string;
  readonly id: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** Docker's timestamp (epoch ms, fractional, from timeNano). */
  readonly atMs: number;
  /** When this process parsed it (epoch ms). */
  readonly receivedMs: number;
}

interface Waiter {
  readonly pred: (e: SeenEvent) => boolean;
  readonly resolve: (e: SeenEvent) => void;
}

export class DockerEventLog {
  readonly events: SeenEvent[] = [];
  private readonly waiters = new Set<Waiter>();
  private stream: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;

  /** Subscribes; resolves once Docker has accepted the subscription. */
  static async start(docker: Docker, filters: Record<string, string[]>): Promise<DockerEventLog> {
    const log = new DockerEventLog();
    const stream = (await docker.getEvents({
      filters: JSON.stringify(filters),
    } as never)) as unknown as NodeJS.ReadableStream & {
      destroy?: () => void;
    };
    log.stream = stream;
    let buffer = '';
    stream.on('data', (chunk: Buffer) => {
      const receivedMs = nowMs();
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        const raw = JSON.parse(line) as {
          Action: string;
          Actor: { ID: string; Attributes?: Record<string, string> };
          timeNano: number;
        };
        log.push({
          action: raw.Action,
          id: raw.Actor.ID,
          attrs: raw.Actor.Attributes ?? {},
          atMs: raw.timeNano / 1e6,
          receivedMs,
        });
      }
    });
    return log;
  }

  private push(e: SeenEvent): void {
    this.events.push(e);
    for (const w of this.waiters) {
      if (w.pred(e)) {
        this.waiters.delete(w);
        w.resolve(e);
      }
    }
  }

  /** The first event so far matching `pred`. */
  find(pred: (e: SeenEvent) => boolean): SeenEvent | undefined {
    return this.events.find(pred);
  }

  /** The first matching event, already seen or still to come. */
  waitFor(pred: (e: SeenEvent) => boolean, what: string, timeoutMs = 60_000): Promise<SeenEvent> {
    const seen = this.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for docker event: ${what}`));
      }, timeoutMs);
      const w: Waiter = {
        pred,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      this.waiters.add(w);
    });
  }

  /** Resolves with the first `count` matching events (seen or still to come). */
  waitForCount(
    pred: (e: SeenEvent) => boolean,
    count: number,
    what: string,
    timeoutMs = 120_000,
  ): Promise<SeenEvent[]> {
    const matched = this.events.filter(pred);
    if (matched.length >= count) return Promise.resolve(matched.slice(0, count));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${count} docker events (${matched.length} seen): ${what}`,
          ),
        );
      }, timeoutMs);
      const w: Waiter = {
        pred: (e) => {
          if (pred(e)) matched.push(e);
          return matched.length >= count;
        },
        resolve: () => {
          clearTimeout(timer);
          resolve(matched);
        },
      };
      this.waiters.add(w);
    });
  }

  close(): void {
    this.stream?.destroy?.();
    this.stream = undefined;
  }
}
