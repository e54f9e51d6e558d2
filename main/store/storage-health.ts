/**
 * Whether task history (records, events, logs, resource history) is being saved. A write that
 * fails (disk full, read-only, permissions) makes the store "degraded" with a message the app and
 * the CLI show; the tasks themselves carry on from memory. Each failing write is tracked by a key
 * and cleared by the next write under that key that succeeds; the state is healthy again once no
 * key is failing.
 */
import { EventEmitter } from 'node:events';

export type StorageHealthState =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** e.g. `cannot save task history: disk full`. */
      readonly message: string;
      /** When saving first failed (ISO). */
      readonly since: string;
    };

/** A file-system error as the user reads it: what went wrong, not the syscall. */
export function describeWriteError(err: unknown): string {
  const e = err as NodeJS.ErrnoException | null;
  switch (e?.code) {
    case 'ENOSPC':
      return 'disk full';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EROFS':
      return 'the data folder is on a read-only file system';
    case 'EACCES':
    case 'EPERM':
      return `permission denied${e.path ? ` (${e.path})` : ''}`;
    case 'ENOENT':
      return `a folder of the data dir is missing${e.path ? ` (${e.path})` : ''}`;
    case 'EIO':
      return 'input/output error on the disk';
    default:
      return e?.message ?? String(err);
  }
}

export class StorageHealth extends EventEmitter<{ change: [StorageHealthState] }> {
  private readonly failing = new Map<string, string>();
  private current: StorageHealthState = { ok: true };

  constructor(private readonly now: () => Date = () => new Date()) {
    super();
  }

  state(): StorageHealthState {
    return this.current;
  }

  /** Keys whose last write failed. */
  failingKeys(): string[] {
    return [...this.failing.keys()];
  }

  /** A write under `key` failed with `err`. */
  failed(key: string, err: unknown): void {
    const message = `cannot save task history: ${describeWriteError(err)}`;
    this.failing.set(key, message);
    if (this.current.ok) this.set({ ok: false, message, since: this.now().toISOString() });
    else if (this.current.message !== message) this.set({ ...this.current, message });
  }

  /** A write under `key` succeeded. */
  succeeded(key: string): void {
    if (!this.failing.delete(key)) return;
    if (this.failing.size === 0) this.set({ ok: true });
  }

  private set(next: StorageHealthState): void {
    this.current = next;
    this.emit('change', next);
  }
}
