/**
 * Durable task records, events and logs under a data directory:
 *   <dataDir>/tasks/<taskId>/record.json   latest record (atomic rename), rewritten coalesced
 *   <dataDir>/tasks/<taskId>/events.ndjson every Task State Change event, appended
 *   <dataDir>/tasks/<taskId>/logs.ndjson   log lines, appended; rotated to logs.1.ndjson at half the cap
 *   <dataDir>/tasks/<taskId>/stats.json    resource history (bounded by the engine), rewritten coalesced
 *   <dataDir>/state.json                   engine-wide state (images pulled once)
 * Logs live on disk, not in memory; the cap bounds each task's logs. Every folder is created 0700
 * and every file 0600 (private-files.ts): records and logs are the user's alone.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogLine, TaskStateChangeEvent } from '../../contract/dto.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-files.js';

/** Default log cap per task (bytes on disk across both files). */
export const DEFAULT_LOG_CAP_BYTES = 128 * 1024 * 1024;

interface TaskFiles {
  events?: WriteStream;
  logs?: WriteStream;
  logBytes: number;
  /** Log appends run in order through this chain; flush() waits for it. */
  logQueue?: Promise<void>;
  recordPending?: unknown;
  recordWriting?: Promise<void>;
  statsPending?: unknown;
  statsWriting?: Promise<void>;
}

/** Compact on-disk log line. */
interface StoredLogLine {
  readonly q: number;
  readonly c: string;
  readonly s: 'o' | 'e';
  readonly t: string;
  readonly x: string;
}

export class TaskStore {
  private readonly files = new Map<string, TaskFiles>();

  constructor(
    readonly dataDir: string,
    private readonly logCapBytes = DEFAULT_LOG_CAP_BYTES,
  ) {}

  private taskDir(taskId: string): string {
    return join(this.dataDir, 'tasks', taskId);
  }

  async init(): Promise<void> {
    await ensurePrivateDir(join(this.dataDir, 'tasks'));
  }

  private entry(taskId: string): TaskFiles {
    let f = this.files.get(taskId);
    if (!f) this.files.set(taskId, (f = { logBytes: 0 }));
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
    try {
      return JSON.parse(await readFile(join(this.taskDir(taskId), 'stats.json'), 'utf8')) as unknown;
    } catch {
      return undefined;
    }
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
      try {
        out.push(JSON.parse(await readFile(join(root, id, 'record.json'), 'utf8')) as T);
      } catch {
        // A task folder without a readable record (crash before the first write) has nothing to restore.
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
    const text = await readFile(join(this.taskDir(taskId), 'events.ndjson'), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as TaskStateChangeEvent);
  }

  appendLogs(taskId: string, lines: readonly LogLine[]): Promise<void> {
    const f = this.entry(taskId);
    const next = (f.logQueue ?? Promise.resolve()).then(() => this.writeLogs(taskId, f, lines));
    f.logQueue = next.catch(() => {});
    return next;
  }

  private async writeLogs(taskId: string, f: TaskFiles, lines: readonly LogLine[]): Promise<void> {
    if (!f.logs) {
      const file = join(this.taskDir(taskId), 'logs.ndjson');
      f.logBytes = await stat(file).then(
        (s) => s.size,
        () => 0,
      );
      f.logs = createWriteStream(file, { flags: 'a', mode: PRIVATE_FILE_MODE });
    }
    let chunk = '';
    for (const l of lines) {
      const stored: StoredLogLine = {
        q: l.seq,
        c: l.container,
        s: l.stream === 'stdout' ? 'o' : 'e',
        t: l.time,
        x: l.text,
      };
      chunk += `${JSON.stringify(stored)}\n`;
    }
    f.logs.write(chunk);
    f.logBytes += Buffer.byteLength(chunk);
    if (f.logBytes > this.logCapBytes / 2) await this.rotateLogs(taskId, f);
  }

  private async rotateLogs(taskId: string, f: TaskFiles): Promise<void> {
    const logs = f.logs;
    f.logs = undefined;
    f.logBytes = 0;
    if (logs) await new Promise<void>((r) => logs.end(r));
    const dir = this.taskDir(taskId);
    await rename(join(dir, 'logs.ndjson'), join(dir, 'logs.1.ndjson'));
  }

  /** Log history, oldest first; filtered by container and seq, limited to the newest `limit`. */
  async readLogs(
    taskId: string,
    opts: { container?: string; afterSeq?: number; limit?: number } = {},
  ): Promise<LogLine[]> {
    await this.flush(taskId);
    const dir = this.taskDir(taskId);
    const out: LogLine[] = [];
    for (const name of ['logs.1.ndjson', 'logs.ndjson']) {
      const text = await readFile(join(dir, name), 'utf8').catch(() => '');
      for (const raw of text.split('\n')) {
        if (!raw) continue;
        const s = JSON.parse(raw) as StoredLogLine;
        if (opts.container && s.c !== opts.container) continue;
        if (opts.afterSeq !== undefined && s.q <= opts.afterSeq) continue;
        out.push({
          taskId,
          seq: s.q,
          container: s.c,
          stream: s.s === 'o' ? 'stdout' : 'stderr',
          time: s.t,
          text: s.x,
        });
      }
    }
    return opts.limit !== undefined && out.length > opts.limit ? out.slice(out.length - opts.limit) : out;
  }

  /** Waits until everything written so far for a task is on disk. */
  async flush(taskId: string): Promise<void> {
    const f = this.files.get(taskId);
    if (!f) return;
    const drain = (s?: WriteStream) =>
      s && s.writableLength > 0 ? new Promise<void>((r) => s.write('', () => r())) : Promise.resolve();
    await f.logQueue;
    await Promise.all([drain(f.events), drain(f.logs), f.recordWriting, f.statsWriting]);
  }

  /** Closes a task's files (after it stopped); they reopen on demand. */
  async closeTask(taskId: string): Promise<void> {
    const f = this.files.get(taskId);
    if (!f) return;
    await this.flush(taskId);
    await Promise.all([f.events, f.logs].map((s) => (s ? new Promise<void>((r) => s.end(r)) : undefined)));
    this.files.delete(taskId);
  }

  async deleteTask(taskId: string): Promise<void> {
    await this.closeTask(taskId);
    await rm(this.taskDir(taskId), { recursive: true, force: true });
  }

  async loadState<T>(fallback: T): Promise<T> {
    try {
      return JSON.parse(await readFile(join(this.dataDir, 'state.json'), 'utf8')) as T;
    } catch {
      return fallback;
    }
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
