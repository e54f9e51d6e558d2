/**
 * One task's log lines in the renderer: history plus live batches, de-duplicated by `seq`, kept
 * in a mutable array (100 000 lines are never copied per batch). Subscribers are told at most once
 * per 100 ms, so a burst of batches costs one render.
 */
import type { LogLine } from '../../../../contract/dto.js';
import { stripAnsi } from './ansi.js';

/** Lines kept per task in the viewer; older ones are dropped (the engine keeps them on disk). */
export const MAX_VIEWER_LINES = 500_000;

/** At most this often the viewer re-renders while lines stream in. */
const NOTIFY_EVERY_MS = 100;

export class LogStore {
  readonly lines: LogLine[] = [];
  /** Escape-free text per line (what search, copy and export use). */
  readonly plain: string[] = [];
  /** Bumped on every change; a React external-store snapshot. */
  version = 0;
  /** How many lines were dropped from the front (indices shift by this much). */
  dropped = 0;
  private lastSeq = -1;
  private pending: LogLine[] | undefined = [];
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastNotify = 0;

  /** Live lines (before history arrives they are held back, then merged). */
  append(lines: readonly LogLine[]): void {
    if (this.pending) {
      this.pending.push(...lines);
      return;
    }
    this.push(lines);
  }

  /** The history answer; releases live lines that arrived meanwhile. */
  loadHistory(history: readonly LogLine[]): void {
    const held = this.pending ?? [];
    this.pending = undefined;
    this.push(history);
    this.push(held);
  }

  get loaded(): boolean {
    return this.pending === undefined;
  }

  private push(lines: readonly LogLine[]): void {
    let added = 0;
    for (const l of lines) {
      if (l.seq <= this.lastSeq) continue;
      this.lastSeq = l.seq;
      this.lines.push(l);
      this.plain.push(stripAnsi(l.text));
      added++;
    }
    const over = this.lines.length - MAX_VIEWER_LINES;
    if (over > 0) {
      this.lines.splice(0, over);
      this.plain.splice(0, over);
      this.dropped += over;
    }
    if (added > 0 || this.loaded) this.notify();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): number => this.version;

  private notify(): void {
    if (this.timer !== undefined) return;
    // Trailing throttle: one render per burst window however many batches arrive. A one-shot
    // timer per change, not a poll: nothing runs while no lines arrive.
    const wait = Math.max(0, this.lastNotify + NOTIFY_EVERY_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastNotify = Date.now();
      this.version++;
      for (const l of this.listeners) l();
    }, wait);
  }
}
