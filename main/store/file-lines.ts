/**
 * Reading ndjson log files in bounded memory: lines from the end backwards (a `limit` read or a
 * resume position touches only the tail), and a newline count that streams. Both count what they
 * read in an optional meter (tests assert reads stay proportional to what was asked).
 */
import { open } from 'node:fs/promises';

/** Bytes read and lines handed out so far. */
export interface ReadMeter {
  bytes: number;
  lines: number;
}

const CHUNK = 64 * 1024;
const NL = 0x0a;

/**
 * The file's lines, last first, read in chunks from the end: one array per chunk read (a line cut
 * by a chunk boundary comes with the earlier chunk). Nothing when the file does not exist.
 */
export async function* linesBackward(path: string, meter?: ReadMeter): AsyncGenerator<string[]> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return;
  try {
    let pos = (await fh.stat()).size;
    // Bytes of a line that began in an earlier (not yet read) chunk.
    let carry: Buffer = Buffer.alloc(0);
    while (pos > 0) {
      const len = Math.min(CHUNK, pos);
      pos -= len;
      const chunk = Buffer.allocUnsafe(len);
      const { bytesRead } = await fh.read(chunk, 0, len, pos);
      if (meter) meter.bytes += bytesRead;
      const buf = carry.length ? Buffer.concat([chunk.subarray(0, bytesRead), carry]) : chunk;
      const lines: string[] = [];
      let end = buf.length;
      for (let i = buf.lastIndexOf(NL, end - 1); i >= 0; i = end > 0 ? buf.lastIndexOf(NL, end - 1) : -1) {
        if (i + 1 < end) lines.push(buf.toString('utf8', i + 1, end));
        end = i;
      }
      carry = Buffer.from(buf.subarray(0, end));
      if (pos === 0 && carry.length) lines.push(carry.toString('utf8'));
      if (meter) meter.lines += lines.length;
      if (lines.length) yield lines;
    }
  } finally {
    await fh.close();
  }
}

/** Size and number of lines, streamed (no whole-file buffer); undefined when the file is missing. */
export async function countLines(
  path: string,
): Promise<{ bytes: number; lines: number; partialEnd: boolean } | undefined> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return undefined;
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let bytes = 0;
    let lines = 0;
    let last = NL;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, bytes);
      if (bytesRead === 0) break;
      bytes += bytesRead;
      for (let i = 0; i < bytesRead; i++) if (buf[i] === NL) lines++;
      last = buf[bytesRead - 1]!;
    }
    // A last line without its newline still counts.
    if (last !== NL) lines++;
    // A write refused part-way (disk full) leaves half a line at the end.
    return { bytes, lines, partialEnd: last !== NL };
  } finally {
    await fh.close();
  }
}
