/**
 * A task's log collection: one follower per container, lines numbered per task (by the task's
 * actor), handed on in small batches (a few frames' worth), and drained before containers are
 * removed.
 */
import type Docker from '../docker/docker-client.js';
import type { LogLine } from '../../contract/dto.js';
import type { LogCursor } from './log-cursor.js';
import { followContainerLogs, type LogFollower, type RawLogLine } from './log-follower.js';
import { sortableTime } from './runtime-helpers.js';
import type { ContainerRuntime } from './task-runtime.js';

const LOG_BATCH_MS = 20;
const LOG_DRAIN_CAP_MS = 5000;

export class TaskLogs {
  private readonly followers = new Map<string, LogFollower>();
  private pending: LogLine[] = [];
  private timer: NodeJS.Timeout | undefined;

  /**
   * `onLine` takes each line a follower reads to the task's actor, which numbers it (the task's
   * `logSeq`) and hands it back with `add`; `onLogs` gets the batches.
   */
  constructor(
    private readonly docker: Docker,
    private readonly onLine: (c: ContainerRuntime, line: RawLogLine) => void,
    private readonly onLogs: (lines: LogLine[]) => void,
  ) {}

  /** Follows a container's output (once per container), after `from` when given. */
  follow(c: ContainerRuntime, from?: LogCursor): void {
    if (!c.dockerId || this.followers.has(c.name)) return;
    const f = followContainerLogs(this.docker, c.dockerId, from ? { from } : {}, (line) =>
      this.onLine(c, line),
    );
    this.followers.set(c.name, f);
  }

  /**
   * After re-adoption: follow again from where the stored log ends (`stored`, read from the log
   * files), so what the container printed meanwhile arrives exactly once. Records without log
   * files of their own fall back to the record's last time (all lines at that time count as seen).
   */
  resume(c: ContainerRuntime, stored?: LogCursor): void {
    const from =
      stored ?? (c.lastLogTime ? { time: sortableTime(c.lastLogTime), count: Infinity } : undefined);
    this.follow(c, from);
  }

  /** Docker answers again: followers cut off by the outage re-attach now. */
  reattach(): void {
    for (const f of this.followers.values()) f.wake();
  }

  /** A numbered line, batched for a few milliseconds. */
  add(line: LogLine): void {
    this.pending.push(line);
    this.timer ??= setTimeout(() => this.flush(), LOG_BATCH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.onLogs(batch);
  }

  /** Waits (bounded) for every stream to end, then hands on what is left. */
  async drain(): Promise<void> {
    const drains = [...this.followers.values()].map((f) => f.done);
    let cap: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(drains), new Promise((r) => (cap = setTimeout(r, LOG_DRAIN_CAP_MS)))]);
    clearTimeout(cap);
    for (const f of this.followers.values()) f.stop();
    this.flush();
  }

  /** Stops following without waiting (engine shutdown; the containers keep running). */
  detach(): void {
    for (const f of this.followers.values()) f.stop();
    this.followers.clear();
    this.flush();
  }
}
