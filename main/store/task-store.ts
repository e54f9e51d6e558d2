/**
 * Durable task records, events and logs under a data directory:
 *   <dataDir>/tasks/<taskId>/record.json   latest record (atomic rename), rewritten coalesced
 *   <dataDir>/tasks/<taskId>/events.ndjson every Task State Change event, appended
 *   <dataDir>/tasks/<taskId>/logs/         log lines per container, capped (see container-log-files.ts)
 *   <dataDir>/tasks/<taskId>/stats.json    resource history (bounded by the engine), rewritten coalesced
 *   <dataDir>/state.json                   engine-wide state (images pulled once)
 * Logs live on disk, not in memory; the cap bounds each container's logs. Every folder is created
 * 0700 and every file 0600 (private-files.ts): records and logs are the user's alone.
 *
 * A write that fails (disk full, read-only, permissions) never throws out of the store's
 * background work: `health` turns degraded, the newest record / resource history and every
 * unsaved event stay in memory, and a retry timer writes them once the disk takes writes again
 * (log lines that could not be written are not kept: the live view still has them).
 */
import { appendFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogLine, TaskStateChangeEvent } from '../../contract/dto.js';
import { CoalescedFile, type WriteOutcome } from './coalesced-file.js';
import { ContainerLogFiles, DEFAULT_LOG_CAP_BYTES, type LogTail } from './container-log-files.js';
import { reportDataWarning } from './data-warnings.js';
import { keepAside, parseJsonLines, readJsonOrKeepAside } from './keep-aside.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-files.js';
import { StorageHealth } from './storage-health.js';

export { DEFAULT_LOG_CAP_BYTES };

interface TaskFiles {
  /** Events not on disk yet, appended in order by one writer. */
  eventsPending?: string;
  eventsWriting?: Promise<void>;
  /** An append failed: it may have left a partial line, so the next one starts on a new line. */
  eventsBroken?: boolean;
  logs?: ContainerLogFiles;
  /** Log appends run in order through this chain; flush() waits for it. */
  logQueue?: Promise<void>;
  record?: CoalescedFile;
  stats?: CoalescedFile;
}

/** How often failed writes are retried while the store is degraded. */
export const STORE_RETRY_MS = 2_000;

export class TaskStore {
  private readonly files = new Map<string, TaskFiles>();

  private readonly logCapBytes: () => number;
  /** Degraded while any write keeps failing; the engine shows it. */
  readonly health = new StorageHealth();
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly state: CoalescedFile;

  /** `logCapBytes`: per container on disk; a function is read at every append (a setting). */
  constructor(
    readonly dataDir: string,
    logCapBytes: number | (() => number) = DEFAULT_LOG_CAP_BYTES,
    private readonly retryMs = STORE_RETRY_MS,
  ) {
    this.logCapBytes = typeof logCapBytes === 'number' ? () => logCapBytes : logCapBytes;
    this.state = new CoalescedFile(join(dataDir, 'state.json'), this.outcome('state'));
  }

  /** Health bookkeeping of one written file (a failure also schedules the retry). */
  private outcome(key: string): WriteOutcome {
    return { succeeded: () => this.health.succeeded(key), failed: (err) => this.failed(key, err) };
  }

  private taskDir(taskId: string): string {
    return join(this.dataDir, 'tasks', taskId);
  }

  async init(): Promise<void> {
    await ensurePrivateDir(join(this.dataDir, 'tasks'));
  }

  private entry(taskId: string): TaskFiles {
    let f = this.files.get(taskId);
    if (!f) this.files.set(taskId, (f = {}));
    return f;
  }

  /**
   * Creates the task's folder (call once before anything else for a new task). When that fails the
   * task still runs from memory: the store is degraded and creates the folder on a later retry.
   */
  async createTask(taskId: string): Promise<void> {
    try {
      await ensurePrivateDir(this.taskDir(taskId));
    } catch (err) {
      this.failed(`dir:${taskId}`, err);
    }
  }

  /** Schedules a write of the record; writes coalesce, the newest always lands. */
  saveRecord(taskId: string, record: unknown): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.coalescedWrite(taskId, 'record', record);
  }

  /** Schedules a write of the task's resource history; writes coalesce like the record's. */
  saveStats(taskId: string, stats: unknown): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.coalescedWrite(taskId, 'stats', stats);
  }

  /** The task's resource history as last saved (undefined when there is none). */
  async loadStats(taskId: string): Promise<unknown> {
    return readJsonOrKeepAside(join(this.taskDir(taskId), 'stats.json')).catch(() => undefined);
  }

  private coalescedWrite(taskId: string, kind: 'record' | 'stats', data: unknown): Promise<void> {
    const f = this.entry(taskId);
    const file = (f[kind] ??= new CoalescedFile(
      join(this.taskDir(taskId), `${kind}.json`),
      this.outcome(`${kind}:${taskId}`),
    ));
    return file.save(data);
  }

  async loadRecords<T>(): Promise<T[]> {
    const root = join(this.dataDir, 'tasks');
    const ids = await readdir(root).catch(() => [] as string[]);
    const out: T[] = [];
    for (const id of ids) {
      const file = join(root, id, 'record.json');
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        // A task folder without a record (crash before the first write) has nothing to restore.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
          reportDataWarning(`cannot read task record ${file}: ${(err as Error).message}`, file);
        continue;
      }
      try {
        const record = JSON.parse(text) as unknown;
        if (typeof record !== 'object' || record === null) throw new Error('not a task record');
        out.push(record as T);
      } catch (err) {
        // Kept aside, never overwritten: the task's containers are re-adopted from their labels.
        await keepAside(file, (err as Error).message).catch(() => undefined);
      }
    }
    return out;
  }

  /** Appends an event; it stays in memory until it is on disk (retried while degraded). */
  appendEvent(taskId: string, event: TaskStateChangeEvent): void {
    if (this.closed) return;
    const f = this.entry(taskId);
    f.eventsPending = `${f.eventsPending ?? ''}${JSON.stringify(event)}\n`;
    this.drainEvents(taskId, f);
  }

  private drainEvents(taskId: string, f: TaskFiles): void {
    if (f.eventsWriting || !f.eventsPending) return;
    const file = join(this.taskDir(taskId), 'events.ndjson');
    f.eventsWriting = (async () => {
      while (f.eventsPending) {
        const text = f.eventsPending;
        f.eventsPending = '';
        try {
          await appendFile(file, f.eventsBroken ? `\n${text}` : text, { mode: PRIVATE_FILE_MODE });
          f.eventsBroken = false;
          this.health.succeeded(`events:${taskId}`);
        } catch (err) {
          f.eventsPending = text + f.eventsPending;
          f.eventsBroken = true;
          this.failed(`events:${taskId}`, err);
          return;
        }
      }
    })().finally(() => {
      f.eventsWriting = undefined;
    });
  }

  async readEvents(taskId: string): Promise<TaskStateChangeEvent[]> {
    await this.flush(taskId);
    const file = join(this.taskDir(taskId), 'events.ndjson');
    const text = await readFile(file, 'utf8').catch(() => '');
    // One damaged line (a full disk mid-append) must not hide the rest: skipped and counted.
    const { rows, damaged } = parseJsonLines<TaskStateChangeEvent>(text);
    if (damaged > 0) {
      reportDataWarning(
        `${damaged} damaged line${damaged === 1 ? '' : 's'} skipped in the events of task ${taskId} (${file})`,
        file,
      );
    }
    // Events not saved yet (the disk refuses writes) are still part of the history.
    for (const line of (this.files.get(taskId)?.eventsPending ?? '').split('\n'))
      if (line) rows.push(JSON.parse(line) as TaskStateChangeEvent);
    return rows;
  }

  appendLogs(taskId: string, lines: readonly LogLine[]): Promise<void> {
    if (this.closed) return Promise.resolve();
    const f = this.entry(taskId);
    const next = (f.logQueue ?? Promise.resolve()).then(() => this.logFiles(taskId, f).append(lines));
    f.logQueue = next.catch((err: unknown) => this.failed(`logs:${taskId}`, err));
    return next;
  }

  private logFiles(taskId: string, f: TaskFiles): ContainerLogFiles {
    f.logs ??= new ContainerLogFiles(this.taskDir(taskId), taskId, this.logCapBytes, {
      onWriteError: (err) => this.failed(`logs:${taskId}`, err),
      onWriteOk: () => this.health.succeeded(`logs:${taskId}`),
    });
    return f.logs;
  }

  /**
   * Log history, oldest first; filtered by container and seq, limited to the newest `limit`. A
   * container that dropped lines to stay under its cap contributes a marker record (`dropped`).
   */
  async readLogs(
    taskId: string,
    opts: { container?: string; afterSeq?: number; limit?: number } = {},
  ): Promise<LogLine[]> {
    const out = await this.onLogQueue(taskId, (files) => files.read(opts));
    return opts.limit !== undefined && out.length > opts.limit ? out.slice(out.length - opts.limit) : out;
  }

  /** Where the task's stored log ends (last seq, per-container resume positions); reads tails only. */
  logTail(taskId: string): Promise<LogTail> {
    return this.onLogQueue(taskId, (files) => files.tail());
  }

  /**
   * Runs a log read in turn with the appends: after every batch appended before it, and never while
   * a later one is half written (one container's file ahead of another's), so a reader never sees
   * a hole below the highest seq it got.
   */
  private onLogQueue<T>(taskId: string, read: (files: ContainerLogFiles) => Promise<T>): Promise<T> {
    const f = this.entry(taskId);
    const run = (f.logQueue ?? Promise.resolve()).then(async () => {
      const files = this.logFiles(taskId, f);
      await files.flush();
      return read(files);
    });
    f.logQueue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Bytes of log on disk per container. */
  logDiskBytes(taskId: string): Promise<Record<string, number>> {
    return this.logFiles(taskId, this.entry(taskId)).diskBytes();
  }

  /** Waits until everything written so far for a task is on disk. */
  async flush(taskId: string): Promise<void> {
    const f = this.files.get(taskId);
    if (!f) return;
    await f.logQueue;
    // A write the disk refused is the health state's business, not the reader's.
    const settled = (p: Promise<void> | undefined) => p?.catch(() => undefined);
    await Promise.all([
      f.eventsWriting,
      f.logs?.flush(),
      settled(f.record?.inFlight),
      settled(f.stats?.inFlight),
    ]);
  }

  /** Closes a task's files (after it stopped); they reopen on demand. */
  async closeTask(taskId: string): Promise<void> {
    const f = this.files.get(taskId);
    if (!f) return;
    await this.flush(taskId);
    await f.logs?.close();
    // Whatever the disk still refuses stays queued for the retry; a write begun meanwhile finishes.
    if (f.eventsPending || f.record?.hasPending || f.stats?.hasPending) return;
    if (f.eventsWriting || f.record?.inFlight || f.stats?.inFlight) return;
    if (this.files.get(taskId) === f) this.files.delete(taskId);
  }

  async deleteTask(taskId: string): Promise<void> {
    await this.closeTask(taskId);
    await rm(this.taskDir(taskId), { recursive: true, force: true });
  }

  async loadState<T>(fallback: T): Promise<T> {
    const state = await readJsonOrKeepAside(join(this.dataDir, 'state.json'), (v) => typeof v === 'object');
    return (state ?? fallback) as T;
  }

  /** Writes the engine state; saves coalesce like a record's, the newest always lands. */
  saveState(state: unknown): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.state.save(state);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await Promise.all([...this.files.keys()].map((id) => this.closeTask(id).catch(() => undefined)));
  }

  // ---------------------------------------------------------------- degraded state and retries

  private failed(key: string, err: unknown): void {
    this.health.failed(key, err);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retryFailedWrites()
        .catch(() => undefined)
        .finally(() => {
          if (!this.health.state().ok) this.scheduleRetry();
        });
    }, this.retryMs);
    // Retries never keep a process alive on their own.
    this.retryTimer.unref();
  }

  /**
   * Writes again what is pending: missing task folders first, then records, resource histories,
   * events and the engine state. Log keys (nothing kept in memory) and the engine state's clear
   * once a probe write works.
   */
  private async retryFailedWrites(): Promise<void> {
    const keys = this.health.failingKeys();
    for (const key of keys.filter((k) => k.startsWith('dir:'))) {
      const taskId = key.slice('dir:'.length);
      await ensurePrivateDir(this.taskDir(taskId)).then(
        () => this.health.succeeded(key),
        () => undefined,
      );
    }
    const writes: Promise<unknown>[] = [];
    for (const [taskId, f] of this.files) {
      for (const file of [f.record, f.stats]) {
        const retried = file?.retry();
        if (retried) writes.push(retried.catch(() => undefined));
      }
      if (f.eventsPending) this.drainEvents(taskId, f);
      if (f.eventsWriting) writes.push(f.eventsWriting);
    }
    const state = this.state.retry();
    if (state) writes.push(state.catch(() => undefined));
    await Promise.all(writes);
    const others = this.health.failingKeys().filter((k) => k.startsWith('logs:') || k === 'state');
    if (others.length === 0) return;
    const probe = join(this.dataDir, 'tasks', `.write-probe.tmp`);
    try {
      await writeFile(probe, 'ok', { mode: PRIVATE_FILE_MODE });
      await rm(probe, { force: true });
      for (const k of others) this.health.succeeded(k);
    } catch {
      await rm(probe, { force: true }).catch(() => undefined);
    }
  }
}
