/**
 * The packed form of one task's `logs:lines` push, for the logs viewer's own socket
 * (`/ws?topics=logs:lines&logsOf=<task>&logFormat=packed`). A flood of log lines is mostly field
 * names and the repeated task id; packed, a line costs about a third of the bytes, the server
 * serialises a flat array instead of an object per line, and the page's worker parses less. Pure
 * (no Node built-ins): the server packs, the worker unpacks.
 */
import type { LogLine } from './dto.js';

/** Query parameter of `/ws` asking for packed log pushes, and its value. */
export const WEB_SOCKET_LOG_FORMAT_PARAM = 'logFormat';
export const PACKED_LOG_FORMAT = 'packed';

/** Values per line in `PackedLogLines.lines`. */
export const PACKED_FIELDS = 5;

/**
 * `{"topic":"logs:lines","packed":{…}}`: `lines` holds five values per line — seq, container index
 * (into `containers`) × 2 + 1 for stderr, time, text, and `dropped` (0 for a line the container wrote).
 */
export interface PackedLogLines {
  readonly topic: 'logs:lines';
  readonly packed: {
    readonly containers: readonly string[];
    readonly lines: readonly (string | number)[];
  };
}

/** One task's lines as the packed message's JSON text. */
export function packLogLines(lines: readonly LogLine[]): string {
  const containers: string[] = [];
  const index = new Map<string, number>();
  const flat: (string | number)[] = new Array<string | number>(lines.length * PACKED_FIELDS);
  let k = 0;
  for (const l of lines) {
    let c = index.get(l.container);
    if (c === undefined) {
      c = containers.length;
      containers.push(l.container);
      index.set(l.container, c);
    }
    flat[k++] = l.seq;
    flat[k++] = c * 2 + (l.stream === 'stderr' ? 1 : 0);
    flat[k++] = l.time;
    flat[k++] = l.text;
    flat[k++] = l.dropped ?? 0;
  }
  const message: PackedLogLines = { topic: 'logs:lines', packed: { containers, lines: flat } };
  return JSON.stringify(message);
}

/**
 * The lines of a packed message for task `taskId`; throws an Error naming the field when the
 * message is not well formed.
 */
export function unpackLogLines(taskId: string, packed: unknown): LogLine[] {
  const p = packed as { containers?: unknown; lines?: unknown } | null;
  if (!p || !Array.isArray(p.containers) || !p.containers.every((c) => typeof c === 'string'))
    throw new Error('packed.containers: expected an array of container names');
  if (!Array.isArray(p.lines) || p.lines.length % PACKED_FIELDS !== 0)
    throw new Error(`packed.lines: expected an array of ${PACKED_FIELDS} values per line`);
  const names = p.containers as string[];
  const flat = p.lines as unknown[];
  const out: LogLine[] = new Array<LogLine>(flat.length / PACKED_FIELDS);
  for (let i = 0, k = 0; k < flat.length; i++, k += PACKED_FIELDS) {
    const seq = flat[k];
    const c = flat[k + 1];
    const time = flat[k + 2];
    const text = flat[k + 3];
    const dropped = flat[k + 4];
    const name = typeof c === 'number' ? names[c >> 1] : undefined;
    if (
      typeof seq !== 'number' ||
      name === undefined ||
      typeof time !== 'string' ||
      typeof text !== 'string' ||
      typeof dropped !== 'number'
    )
      throw new Error(`packed.lines: line ${i} is malformed`);
    const line: LogLine = {
      taskId,
      container: name,
      stream: ((c as number) & 1) === 1 ? 'stderr' : 'stdout',
      time,
      text,
      seq,
    };
    out[i] = dropped > 0 ? { ...line, dropped } : line;
  }
  return out;
}
