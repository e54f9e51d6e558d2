/**
 * Follows one container's stdout/stderr (Docker's multiplexed stream, with timestamps) and hands
 * complete lines to a sink, each exactly once. A follow that ends while the container still runs
 * (dockerd restarted, `--live-restore` kept the container) is re-attached from the last line handed
 * on — at once when Docker answers, else with backoff or when `wake()` says Docker is back. Ends
 * after the container exits (with one last read: Docker can end a follow before the final output
 * reaches it) or is removed, or on `stop()`.
 */
import type Docker from '../docker/docker-client.js';
import { dockerStatus } from './runtime-helpers.js';
import { advanceCursor, boundaryFilter, sinceOf, type LogCursor } from './log-cursor.js';

export interface RawLogLine {
  readonly stream: 'stdout' | 'stderr';
  readonly time: string;
  readonly text: string;
}

/** A running follower. */
export interface LogFollower {
  /** Resolves when following is over (container gone, or stopped). */
  readonly done: Promise<void>;
  stop(): void;
  /** Docker is reachable again: retry a lost follow now instead of after the backoff. */
  wake(): void;
}

export interface FollowOptions {
  /** Resume after this stored position (re-adoption); everything when absent. */
  readonly from?: LogCursor;
  /** Backoff between attempts while Docker does not answer (default 500 ms doubling to 10 s). */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
}

/** Splits `2024-01-01T00:00:00.123456789Z text` into time and text. */
export function splitTimestamp(line: string): { time: string; text: string } {
  const sp = line.indexOf(' ');
  if (sp > 0 && /^\d{4}-\d\d-\d\dT/.test(line)) {
    return { time: line.slice(0, sp), text: line.slice(sp + 1) };
  }
  return { time: new Date().toISOString(), text: line };
}

type LogStream = NodeJS.ReadableStream & { destroy?: () => void };

/** Starts following. */
export function followContainerLogs(
  docker: Docker,
  containerId: string,
  opts: FollowOptions,
  sink: (line: RawLogLine) => void,
): LogFollower {
  const container = docker.getContainer(containerId);
  const retryMin = opts.retryMinMs ?? 500;
  const retryMax = opts.retryMaxMs ?? 10_000;
  let cursor = opts.from;
  let stopped = false;
  let current: LogStream | undefined;
  let wakeUp: (() => void) | undefined;

  /** Lines of one read, through the boundary of where it started. */
  const reader = () => {
    const fresh = boundaryFilter(cursor);
    const pending = { stdout: '', stderr: '' };
    let got = 0;
    const emit = (stream: 'stdout' | 'stderr', raw: string) => {
      const l = { stream, ...splitTimestamp(raw.replace(/\r$/, '')) };
      if (!fresh(l.time)) return;
      cursor = advanceCursor(cursor, l.time);
      got++;
      sink(l);
    };
    const onText = (stream: 'stdout' | 'stderr', text: string) => {
      pending[stream] += text;
      let nl: number;
      while ((nl = pending[stream].indexOf('\n')) >= 0) {
        const line = pending[stream].slice(0, nl);
        pending[stream] = pending[stream].slice(nl + 1);
        emit(stream, line);
      }
    };
    return {
      // Parsed inline so stdout and stderr lines keep the order Docker sent them in.
      data: frameParser(onText),
      end() {
        for (const stream of ['stdout', 'stderr'] as const) {
          if (pending[stream]) emit(stream, pending[stream]);
          pending[stream] = '';
        }
        return got;
      },
    };
  };

  const since = () => {
    const s = sinceOf(cursor);
    return s !== undefined ? { since: s as unknown as number } : {};
  };

  /** One follow; resolves with the lines it handed on when the stream ends. */
  const followOnce = async (): Promise<number> => {
    const raw = (await container.logs({
      follow: true,
      stdout: true,
      stderr: true,
      timestamps: true,
      ...since(),
    })) as unknown as LogStream;
    if (stopped) {
      raw.destroy?.();
      return 0;
    }
    current = raw;
    const r = reader();
    raw.on('data', r.data);
    await new Promise<void>((resolve) => {
      raw.on('end', resolve);
      raw.on('close', resolve);
      raw.on('error', () => resolve());
    });
    current = undefined;
    return r.end();
  };

  /** The container has exited: read what is left once, without following. */
  const finalRead = async (): Promise<void> => {
    const rest = (await container.logs({
      follow: false,
      stdout: true,
      stderr: true,
      timestamps: true,
      ...since(),
    })) as unknown as Buffer;
    if (stopped) return;
    const r = reader();
    r.data(Buffer.isBuffer(rest) ? rest : Buffer.from(rest));
    r.end();
  };

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  const done = (async () => {
    let delay = retryMin;
    while (!stopped) {
      let got = 0;
      try {
        got = await followOnce();
      } catch (err) {
        if (dockerStatus(err) === 404) return; // removed: nothing (more) to follow
      }
      if (stopped) return;
      let running: boolean | undefined;
      try {
        running = (await container.inspect()).State.Running;
      } catch (err) {
        if (dockerStatus(err) === 404) return;
        running = undefined; // Docker does not answer (yet)
      }
      if (stopped) return;
      if (running === false) {
        await finalRead().catch(() => {});
        return;
      }
      // Still running (the follow was cut) or Docker away: follow again from the last line.
      delay = got > 0 ? retryMin : Math.min(delay * 2, retryMax);
      await pause(running ? retryMin : delay);
    }
  })().catch(() => {
    // Never rejects: a failed follow ends quietly (the task carries on without more lines).
  });

  return {
    done,
    stop() {
      stopped = true;
      current?.destroy?.();
      wakeUp?.();
    },
    wake() {
      wakeUp?.();
    },
  };
}

/** Docker's multiplexed framing: [type, 0, 0, 0, size(4, BE)] + payload; type 2 is stderr. */
function frameParser(onText: (stream: 'stdout' | 'stderr', text: string) => void): (chunk: Buffer) => void {
  let buf: Buffer = Buffer.alloc(0);
  return (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    while (buf.length >= 8) {
      const size = buf.readUInt32BE(4);
      if (buf.length < 8 + size) break;
      const type = buf[0];
      const payload = buf.subarray(8, 8 + size).toString('utf8');
      buf = buf.subarray(8 + size);
      onText(type === 2 ? 'stderr' : 'stdout', payload);
    }
  };
}
