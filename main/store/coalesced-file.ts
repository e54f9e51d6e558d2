/**
 * One JSON file rewritten atomically (temp file, then rename) by a single writer: saves made while
 * a write runs coalesce, and the newest always lands. Two writers at once would share the temp
 * file and the second rename would fail, so every rewritten file of the store goes through here.
 * A failed write keeps its value pending (unless a newer one arrived) for `retry()`.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { PRIVATE_FILE_MODE } from './private-files.js';

export interface WriteOutcome {
  succeeded(): void;
  failed(err: unknown): void;
}

export class CoalescedFile {
  private pending: { value: unknown } | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly file: string,
    private readonly outcome: WriteOutcome,
  ) {}

  /** A value is waiting to be written (the last write failed, or one is queued behind a write). */
  get hasPending(): boolean {
    return this.pending !== undefined;
  }

  /** The write running now, if any. */
  get inFlight(): Promise<void> | undefined {
    return this.writing;
  }

  save(value: unknown): Promise<void> {
    this.pending = { value };
    this.writing ??= this.drain().finally(() => {
      this.writing = undefined;
    });
    return this.writing;
  }

  /** Writes the pending value again, when one is kept and no write runs. */
  retry(): Promise<void> | undefined {
    if (!this.pending || this.writing) return undefined;
    return this.save(this.pending.value);
  }

  private async drain(): Promise<void> {
    const tmp = `${this.file}.tmp`;
    while (this.pending) {
      const { value } = this.pending;
      this.pending = undefined;
      try {
        await writeFile(tmp, JSON.stringify(value), { mode: PRIVATE_FILE_MODE });
        await rename(tmp, this.file);
        this.outcome.succeeded();
      } catch (err) {
        this.pending ??= { value };
        await rm(tmp, { force: true }).catch(() => undefined);
        this.outcome.failed(err);
        throw err;
      }
    }
  }
}
