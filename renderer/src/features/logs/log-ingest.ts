/**
 * From what the server sends to chunks (pure; runs in the log worker, or on the main thread where
 * no worker exists): keeps one task's lines, holds live lines back until the history answer has
 * arrived, de-duplicates by `seq`, and cuts the result into chunks of bounded size.
 */
import type { LogLine } from '../../../../contract/dto.js';
import { unpackLogLines } from '../../../../contract/log-wire.js';
import { buildChunk, NameTable, type LogChunk } from './log-chunk.js';

/** Most lines in one chunk: a long history becomes several, each its own short message. */
export const MAX_CHUNK_LINES = 16_384;

/** A `logs:lines` push frame as the WebSocket delivered it, or its already parsed payload. */
export type LogFrame = string | readonly LogLine[];

/**
 * The lines of a frame: JSON `{"topic":"logs:lines","payload":[…]}`, its packed form
 * `{"topic":"logs:lines","packed":{…}}` (task `taskId`'s lines, contract/log-wire.ts), or the payload.
 */
export function frameLines(frame: LogFrame, taskId: string): readonly LogLine[] {
  if (typeof frame !== 'string') return frame;
  const message = JSON.parse(frame) as { topic?: string; payload?: unknown; packed?: unknown };
  if (message.topic !== 'logs:lines') return [];
  if (message.packed !== undefined) return unpackLogLines(taskId, message.packed);
  return Array.isArray(message.payload) ? (message.payload as LogLine[]) : [];
}

export class LogIngest {
  private held: LogLine[] | undefined = [];
  private lastSeq = -Infinity;
  private readonly names = new NameTable();

  constructor(private readonly taskId: string) {}

  get loaded(): boolean {
    return this.held === undefined;
  }

  /** Holds live lines again until the next history answer (after a reconnect: it fills the gap). */
  hold(): void {
    this.held ??= [];
  }

  /** Live lines (any task's; others are ignored). Before history they are held. */
  live(frame: LogFrame): LogChunk[] {
    const mine = frameLines(frame, this.taskId).filter((l) => l.taskId === this.taskId);
    if (this.held) {
      for (const l of mine) this.held.push(l);
      return [];
    }
    return this.take(mine);
  }

  /** The history answer; releases the live lines that arrived meanwhile. */
  history(lines: readonly LogLine[]): LogChunk[] {
    const held = this.held ?? [];
    this.held = undefined;
    return [...this.take(lines), ...this.take(held)];
  }

  private take(lines: readonly LogLine[]): LogChunk[] {
    const fresh: LogLine[] = [];
    for (const l of lines) {
      if (l.seq <= this.lastSeq) continue;
      this.lastSeq = l.seq;
      fresh.push(l);
    }
    const out: LogChunk[] = [];
    for (let i = 0; i < fresh.length; i += MAX_CHUNK_LINES)
      out.push(buildChunk(fresh.slice(i, i + MAX_CHUNK_LINES), this.names));
    return out;
  }
}
