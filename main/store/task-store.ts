/**
 * Durable task records, events and logs under a data directory:
 *   <dataDir>/tasks/<taskId>/record.json   latest record (atomic rename), rewritten coalesced
 *   <dataDir>/tasks/<taskId>/events.ndjson every Task State Change event, appended
 *   <dataDir>/tasks/<taskId>/logs/         log lines per container, capped (see container-log-files.ts)
 *   <dataDir>/tasks/<taskId>/stats.json    resource history (bounded by the engine), rewritten coalesced
 *   <dataDir>/state.json                   engine-wide state (images pulled once)
 * Logs live on disk, not in memory; the cap bounds each container's logs. Every folder is created
 * 0700 and every file 0600 (private-files.ts): records and logs are the user's alone.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogLine, TaskStateChangeEvent } from '../../contract/dto.js';
import { ContainerLogFiles, DEFAULT_LOG_CAP_BYTES, type LogTail } from './container-log-files.js';
import { reportDataWarning } from './data-warnings.js';
import { keepAside, parseJsonLines, readJsonOrKeepAside } from './keep-aside.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-files.js';

export { DEFAULT_LOG_CAP_BYTES };

interface TaskFiles {
  events?: WriteStream;
  logs?: ContainerLogFiles;
  /** Log appends run in order through this chain; flush() waits for it. */
  logQueue?: Promise<void>;
  recordPending?: unknown;
  recordWriting?: Promise<void>;
  statsPending?: unknown;
  statsWriting?: Promise<void>;
}

export class TaskStore {
  private readonly files = new Map<string, TaskFiles>();

  private readonly logCapBytes: () => number;

  /** `logCapBytes`: per container on disk; a function is read at every append (a setting). */
  constructor(
    readonly dataDir: string,
    logCapBytes: number | (() => number) = DEFAULT_LOG_CAP_BYTES,
  ) {
    this.logCapBytes = typeof logCapBytes === 'number' ? () => logCapBytes : logCapBytes;
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

  /** Creates the task's folder (call once before anything else for a new task). */
  async createTask(taskId: string): Promise<void> {
    await ensurePrivateDir(this.taskDir(taskId));
  }

  /** Schedules a write of the record; writes coalesce, the newest always lands. */
  saveRecord(taskId: string, record: unknown): Promise<void> {
    return this.coalescedWrite(taskId, 'record', record);
  }

  /** Schedules a write of the task's resource history; writes coalesce like the record's. */
  saveStats(taskId: string, stats: unknown): Promise<void> {
    return this.coalescedWrite(taskId, 'stats', stats);
  }

  /** The task's resource history as last saved (undefined when there is none). */
  async loadStats(taskId: string): Promise<unknown> {
    return readJsonOrKeepAside(join(this.taskDir(taskId), 'stats.json')).catch(() => undefined);
  }

  private coalescedWrite(taskId: string, kind: 'record' | 'stats', data: unknown): Promise<void> {
    const f = this.entry(taskId);
    const pending = kind === 'record' ? 'recordPending' : 'statsPending';
    const writing = kind === 'record' ? 'recordWriting' : 'statsWriting';
    f[pending] = data;
    if (!f[writing]) {
      f[writing] = (async () => {
        while (f[pending] !== undefined) {
          const text = JSON.stringify(f[pending]);
          f[pending] = undefined;
          const file = join(this.taskDir(taskId), `${kind}.json`);
          await writeFile(`${file}.tmp`, text, { mode: PRIVATE_FILE_MODE });
          await rename(`${file}.tmp`, file);
        }
      })().finally(() => {
        f[writing] = undefined;
      });
    }
    return f[writing];
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

  appendEvent(taskId: string, event: TaskStateChangeEvent): void {
    const f = this.entry(taskId);
    f.events ??= createWriteStream(join(this.taskDir(taskId), 'events.ndjson'), {
      flags: 'a',
      mode: PRIVATE_FILE_MODE,
    });
    f.events.write(`${JSON.stringify(event)}\n`);
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
    return rows;
  }

  appendLogs(taskId: string, lines: readonly LogLine[]): Promise<void> {
    const f = this.entry(taskId);
    const next = (f.logQueue ?? Promise.resolve()).then(() => this.logFiles(taskId, f).append(lines));
    f.logQueue = next.catch(() => {});
    return next;
  }

  private logFiles(taskId: string, f: TaskFiles): ContainerLogFiles {
    f.logs ??= new ContainerLogFiles(this.taskDir(taskId), taskId, this.logCapBytes);
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
    await this.flush(taskId);
    const out = await this.logFiles(taskId, this.entry(taskId)).read(opts);
    return opts.limit !== undefined && out.length > opts.limit ? out.slice(out.length - opts.limit) : out;
  }

  /** Where the task's stored log ends (last seq, per-container resume positions); reads tails only. */
  async logTail(taskId: string): Promise<LogTail> {
    await this.flush(taskId);
    return this.logFiles(taskId, this.entry(taskId)).tail();
  }

  /** Bytes of log on disk per container. */
  logDiskBytes(taskId: string): Promise<Record<string, number>> {
    return this.logFiles(taskId, this.entry(taskId)).diskBytes();
  }

  /** Waits until everything written so far for a task is on disk. */
  async flush(taskId: string): Promise<void> {
    const f = this.files.get(taskId);
    if (!f) return;
    const drain = (s?: WriteStream) =>
      s && s.writableLength > 0 ? new Promise<void>((r) => s.write('', () => r())) : Promise.resolve();
    await f.logQueue;
    await Promise.all([drain(f.events), f.logs?.flush(), f.recordWriting, f.statsWriting]);
  }

  /** Closes a task's files (after it stopped); they reopen on demand. */
  async closeTask(taskId: string): Promise<void> {
    const f = this.files.get(taskId);
    if (!f) return;
    await this.flush(taskId);
    const events = f.events;
    await Promise.all([events && new Promise<void>((r) => events.end(r)), f.logs?.close()]);
    this.files.delete(taskId);
  }

  async deleteTask(taskId: string): Promise<void> {
    await this.closeTask(taskId);
    await rm(this.taskDir(taskId), { recursive: true, force: true });
  }

  async loadState<T>(fallback: T): Promise<T> {
    const state = await readJsonOrKeepAside(join(this.dataDir, 'state.json'), (v) => typeof v === 'object');
    return (state ?? fallback) as T;
  }

  async saveState(state: unknown): Promise<void> {
    const file = join(this.dataDir, 'state.json');
    await writeFile(`${file}.tmp`, JSON.stringify(state), { mode: PRIVATE_FILE_MODE });
    await rename(`${file}.tmp`, file);
  }

  async close(): Promise<void> {
    await Promise.all([...this.files.keys()].map((id) => this.closeTask(id)));
  }
}
