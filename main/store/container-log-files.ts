/**
 * One task's logs on disk, bounded per container so a chatty container cannot fill the disk:
 *   <taskDir>/logs/<container>.ndjson     newest lines, appended
 *   <taskDir>/logs/<container>.1.ndjson   the previous half, rotated in at half the cap
 *   <taskDir>/logs/<container>.dropped.json  how many of the oldest lines were dropped, and up to where
 * A container therefore keeps at most its cap (plus one batch) on disk; when a rotation deletes the
 * oldest half, the drop is recorded and read back as a marker record in front of what is left.
 * Older data dirs kept one `logs.ndjson` / `logs.1.ndjson` per task; those are still read.
 * Reads go backwards from the end of each file (seq grows within a file), so what a read costs
 * follows what it asks for (`limit`, `afterSeq`), not how long the log is.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_LOG_CAP_MB, type LogLine } from '../../contract/dto.js';
import { advanceCursor, type LogCursor } from '../engine/log-cursor.js';
import { reportDataWarning } from './data-warnings.js';
import { countLines, linesBackward, type ReadMeter } from './file-lines.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-files.js';

/** Default on-disk log cap per container (Settings → "Log cap per container"). */
export const DEFAULT_LOG_CAP_BYTES = DEFAULT_LOG_CAP_MB * 1024 * 1024;

/** Compact on-disk log line. */
interface StoredLogLine {
  readonly q: number;
  readonly c: string;
  readonly s: 'o' | 'e';
  readonly t: string;
  readonly x: string;
}

/** What a rotation dropped so far for one container (persisted next to its files). */
export interface DroppedLines {
  readonly lines: number;
  readonly bytes: number;
  /** seq and time of the newest dropped line: the marker sits where it was. */
  readonly lastSeq: number;
  readonly lastTime: string;
  /** The cap in force when lines were last dropped. */
  readonly capBytes: number;
}

/** Size and extent of one file, kept in memory so a rotation needs no re-read. */
interface FileStats {
  bytes: number;
  lines: number;
  lastSeq: number;
  lastTime: string;
}

interface ContainerFile {
  stream: WriteStream;
  current: FileStats;
  /** The rotated file (undefined when there is none). */
  previous: FileStats | undefined;
  dropped: DroppedLines | undefined;
}

const encodeName = (container: string) => encodeURIComponent(container);

/** Serialises lines the way they are stored (one JSON object per line). */
function serialise(lines: readonly LogLine[]): string {
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
  return chunk;
}

/** One stored row; undefined for a torn or foreign line (a crash or a full disk mid-write). */
function parseRow(raw: string): StoredLogLine | undefined {
  try {
    const s = JSON.parse(raw) as StoredLogLine | null;
    return typeof s?.q === 'number' && typeof s.t === 'string' && typeof s.c === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

/** Damaged lines seen while reading (skipped, counted, then reported once per read). */
interface DamageCount {
  damaged: number;
}

function toLine(taskId: string, s: StoredLogLine): LogLine {
  return {
    taskId,
    seq: s.q,
    container: s.c,
    stream: s.s === 'o' ? 'stdout' : 'stderr',
    time: s.t,
    text: s.x,
  };
}

/** Rows of a file, newest first, one array per chunk read (bounded memory: read backwards). */
async function* rowsBackward(
  file: string,
  meter?: ReadMeter,
  damage?: DamageCount,
): AsyncGenerator<StoredLogLine[]> {
  for await (const lines of linesBackward(file, meter)) {
    const rows: StoredLogLine[] = [];
    for (const raw of lines) {
      const s = parseRow(raw);
      if (s) rows.push(s);
      else if (damage && raw.trim() !== '') damage.damaged++;
    }
    yield rows;
  }
}

/** A file's extent without holding it in memory: a streamed line count and its last row. */
async function statsOf(file: string): Promise<(FileStats & { partialEnd: boolean }) | undefined> {
  const size = await countLines(file);
  if (!size) return undefined;
  const stats = { ...size, lastSeq: -1, lastTime: '' };
  for await (const rows of rowsBackward(file)) {
    if (!rows[0]) continue;
    stats.lastSeq = rows[0].q;
    stats.lastTime = rows[0].t;
    break;
  }
  return stats;
}

/** Where a task's stored log ends: the last seq used, and each container's resume position. */
export interface LogTail {
  readonly lastSeq: number;
  readonly containers: Readonly<Record<string, LogCursor>>;
}

/** Rows scanned back at most to count the lines at a container's last time. */
const TAIL_SCAN_ROWS = 100_000;

const mb = (bytes: number) => {
  const v = bytes / (1024 * 1024);
  return v >= 10 ? v.toFixed(0) : v.toFixed(1).replace(/\.0$/, '');
};

/** The marker record shown where a container's dropped lines were. */
export function droppedMarker(taskId: string, container: string, d: DroppedLines): LogLine {
  return {
    taskId,
    container,
    stream: 'stderr',
    seq: d.lastSeq,
    time: d.lastTime,
    text: `… ${d.lines.toLocaleString('en-US')} older lines of ${container} dropped: Taskdeck keeps at most ${mb(d.capBytes)} MB of log per container on disk (Settings → Log cap per container)`,
    dropped: d.lines,
  };
}

/** How a write failure is reported (the store turns it into its degraded state). */
export interface LogWriteReports {
  /** A write failed (disk full, permissions): the container's file is reopened on its next append. */
  readonly onWriteError?: (err: Error) => void;
  /** A write reached the file. */
  readonly onWriteOk?: () => void;
}

/** A task's log files; every method is called through the store's per-task queue (one at a time). */
export class ContainerLogFiles {
  private readonly open = new Map<string, ContainerFile>();

  constructor(
    private readonly taskDir: string,
    private readonly taskId: string,
    private readonly capBytes: () => number,
    private readonly reports: LogWriteReports = {},
  ) {}

  /**
   * An append stream whose failure is reported instead of thrown as an unhandled 'error' (which
   * would end the process): the lines it held are lost, and the next append opens a fresh one.
   */
  private openStream(container: string, path: string): WriteStream {
    const stream = createWriteStream(path, { flags: 'a', mode: PRIVATE_FILE_MODE });
    stream.on('error', (err) => {
      if (this.open.get(container)?.stream === stream) this.open.delete(container);
      this.reports.onWriteError?.(err);
    });
    return stream;
  }

  private get dir(): string {
    return join(this.taskDir, 'logs');
  }

  private path(container: string, suffix: string): string {
    return join(this.dir, `${encodeName(container)}${suffix}`);
  }

  private async file(container: string): Promise<ContainerFile> {
    let f = this.open.get(container);
    if (f) return f;
    await ensurePrivateDir(this.dir);
    const currentPath = this.path(container, '.ndjson');
    // Only after a restart does an existing file need reading (once) to learn its extent.
    const current = (await statsOf(currentPath)) ?? { bytes: 0, lines: 0, lastSeq: -1, lastTime: '' };
    const previous = await statsOf(this.path(container, '.1.ndjson'));
    const dropped = await readFile(this.path(container, '.dropped.json'), 'utf8').then(
      (t) => JSON.parse(t) as DroppedLines,
      () => undefined,
    );
    const { partialEnd, ...currentStats } = current as FileStats & { partialEnd?: boolean };
    f = {
      stream: this.openStream(container, currentPath),
      current: currentStats,
      previous,
      dropped,
    };
    // Half a line left by a refused write stays a line of its own (skipped when read).
    if (partialEnd) {
      f.stream.write('\n');
      f.current.bytes += 1;
    }
    this.open.set(container, f);
    return f;
  }

  /**
   * Appends lines (grouped per container). A file is rotated as soon as the next line would take
   * it past half the cap, so a container never holds more than its cap on disk, however big a batch.
   */
  async append(lines: readonly LogLine[]): Promise<void> {
    const groups = new Map<string, LogLine[]>();
    for (const l of lines) {
      let g = groups.get(l.container);
      if (!g) groups.set(l.container, (g = []));
      g.push(l);
    }
    for (const [container, group] of groups) {
      const f = await this.file(container);
      const half = this.capBytes() / 2;
      let chunk = '';
      let bytes = 0;
      let count = 0;
      for (let i = 0; i < group.length; i++) {
        const row = serialise([group[i]!]);
        const size = Buffer.byteLength(row);
        if (f.current.bytes + bytes + size > half && (f.current.bytes > 0 || count > 0)) {
          if (count > 0) this.write(f, chunk, bytes, count, group[i - 1]!);
          await this.rotate(container, f);
          chunk = '';
          bytes = 0;
          count = 0;
        }
        chunk += row;
        bytes += size;
        count++;
      }
      if (count > 0) this.write(f, chunk, bytes, count, group.at(-1)!);
    }
  }

  private write(f: ContainerFile, chunk: string, bytes: number, count: number, last: LogLine): void {
    f.stream.write(chunk, (err) => {
      if (!err) this.reports.onWriteOk?.();
    });
    f.current.bytes += bytes;
    f.current.lines += count;
    f.current.lastSeq = last.seq;
    f.current.lastTime = last.time;
  }

  /** current → .1; the old .1 (the oldest lines) is deleted and counted as dropped. */
  private async rotate(container: string, f: ContainerFile): Promise<void> {
    await new Promise<void>((r) => f.stream.end(r));
    if (f.previous && f.previous.lines > 0) {
      const before = f.dropped;
      f.dropped = {
        lines: (before?.lines ?? 0) + f.previous.lines,
        bytes: (before?.bytes ?? 0) + f.previous.bytes,
        lastSeq: f.previous.lastSeq,
        lastTime: f.previous.lastTime,
        capBytes: this.capBytes(),
      };
      await writeFile(this.path(container, '.dropped.json'), JSON.stringify(f.dropped), {
        mode: PRIVATE_FILE_MODE,
      });
    }
    await rename(this.path(container, '.ndjson'), this.path(container, '.1.ndjson'));
    f.previous = f.current;
    f.current = { bytes: 0, lines: 0, lastSeq: -1, lastTime: '' };
    f.stream = this.openStream(container, this.path(container, '.ndjson'));
  }

  /** Bytes on disk per container (current + rotated). */
  async diskBytes(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const n of names) {
      const m = /^(.*?)(?:\.1)?\.ndjson$/.exec(n);
      if (!m) continue;
      const c = decodeURIComponent(m[1]!);
      out[c] = (out[c] ?? 0) + (await stat(join(this.dir, n))).size;
    }
    return out;
  }

  /** Counts bytes and lines read by `read` and `tail` (tests: reads stay proportional). */
  readonly meter: ReadMeter = { bytes: 0, lines: 0 };

  /** Containers with files in the logs folder. */
  private async containers(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const containers = new Set<string>();
    for (const n of names) {
      const m = /^(.*?)(?:\.1\.ndjson|\.ndjson|\.dropped\.json)$/.exec(n);
      if (m) containers.add(decodeURIComponent(m[1]!));
    }
    return [...containers];
  }

  private async droppedOf(container: string): Promise<DroppedLines | undefined> {
    return readFile(this.path(container, '.dropped.json'), 'utf8').then(
      (t) => JSON.parse(t) as DroppedLines,
      () => undefined,
    );
  }

  /**
   * Stored lines (plus one marker per container that dropped lines), ordered by seq: those after
   * `afterSeq`, the newest `limit` of them. Files are read backwards and only as far as needed —
   * seq grows within a file — so a small `limit` reads a small tail, however long the log.
   */
  async read(opts: { container?: string; afterSeq?: number; limit?: number }): Promise<LogLine[]> {
    const limit = opts.limit ?? Infinity;
    const after = opts.afterSeq ?? -Infinity;
    const out: LogLine[] = [];
    const damage: DamageCount = { damaged: 0 };
    /** Newest first through `files` (newest file first), up to `limit` lines of `container`. */
    const collect = async (files: string[], container: string | undefined): Promise<number> => {
      let n = 0;
      for (const file of files) {
        for await (const rows of rowsBackward(file, this.meter, damage)) {
          for (const s of rows) {
            if (s.q <= after || n >= limit) return n;
            if (container !== undefined && s.c !== container) continue;
            out.push(toLine(this.taskId, s));
            n++;
          }
        }
      }
      return n;
    };
    // Data dirs from before per-container files.
    await collect([join(this.taskDir, 'logs.ndjson'), join(this.taskDir, 'logs.1.ndjson')], opts.container);
    for (const c of await this.containers()) {
      if (opts.container && c !== opts.container) continue;
      const n = await collect([this.path(c, '.ndjson'), this.path(c, '.1.ndjson')], undefined);
      if (n >= limit) continue;
      const d = await this.droppedOf(c);
      if (d && d.lastSeq > after) out.push(droppedMarker(this.taskId, c, d));
    }
    if (damage.damaged > 0) {
      // Skipped, counted and reported; the intact lines around them are still shown.
      reportDataWarning(
        `${damage.damaged} damaged log line${damage.damaged === 1 ? '' : 's'} skipped in task ${this.taskId} (${this.dir})`,
        this.dir,
      );
    }
    out.sort((a, b) => a.seq - b.seq);
    return out.length > limit ? out.slice(out.length - limit) : out;
  }

  /**
   * Where the stored log ends (re-adoption resumes from here): the highest seq, and per container
   * its newest time and how many lines carry it. Reads only the files' tails.
   */
  async tail(): Promise<LogTail> {
    let lastSeq = -1;
    const containers: Record<string, LogCursor> = {};
    for (const legacy of ['logs.ndjson', 'logs.1.ndjson']) {
      let found = false;
      for await (const rows of rowsBackward(join(this.taskDir, legacy), this.meter)) {
        if (!rows[0]) continue;
        lastSeq = Math.max(lastSeq, rows[0].q);
        found = true;
        break;
      }
      if (found) break;
    }
    for (const c of await this.containers()) {
      lastSeq = Math.max(lastSeq, (await this.droppedOf(c))?.lastSeq ?? -1);
      for (const suffix of ['.ndjson', '.1.ndjson']) {
        let cursor: LogCursor | undefined;
        let scanned = 0;
        scan: for await (const rows of rowsBackward(this.path(c, suffix), this.meter)) {
          for (const s of rows) {
            lastSeq = Math.max(lastSeq, s.q);
            const next = advanceCursor(cursor, s.t);
            // Older than the newest time: the lines at that time are all counted.
            if (cursor && next === cursor) break scan;
            cursor = next;
            if (++scanned >= TAIL_SCAN_ROWS) break scan;
          }
        }
        if (cursor) {
          containers[c] = cursor;
          break;
        }
      }
    }
    return { lastSeq, containers };
  }

  /** Waits until everything written so far is on disk. */
  async flush(): Promise<void> {
    await Promise.all(
      [...this.open.values()].map((f) =>
        f.stream.writableLength > 0 ? new Promise<void>((r) => f.stream.write('', () => r())) : undefined,
      ),
    );
  }

  /** Closes every file (they reopen on demand). */
  async close(): Promise<void> {
    const files = [...this.open.values()];
    this.open.clear();
    await Promise.all(files.map((f) => new Promise<void>((r) => f.stream.end(r))));
  }

  /** Deletes the logs folder (the task is being deleted). */
  async remove(): Promise<void> {
    await this.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
