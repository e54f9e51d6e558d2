/**
 * Follows one container's stdout/stderr (Docker's multiplexed stream, with timestamps) and hands
 * complete lines to a sink. Ends when the container's log stream ends (after it exits).
 */
import type Docker from '../docker/docker-client.js';

export interface RawLogLine {
  readonly stream: 'stdout' | 'stderr';
  readonly time: string;
  readonly text: string;
}

/** Splits `2024-01-01T00:00:00.123456789Z text` into time and text. */
export function splitTimestamp(line: string): { time: string; text: string } {
  const sp = line.indexOf(' ');
  if (sp > 0 && /^\d{4}-\d\d-\d\dT/.test(line)) {
    return { time: line.slice(0, sp), text: line.slice(sp + 1) };
  }
  return { time: new Date().toISOString(), text: line };
}

/** Starts following; resolves `done` when the stream ends or fails. */
export function followContainerLogs(
  docker: Docker,
  containerId: string,
  opts: { sinceSeconds?: number },
  sink: (line: RawLogLine) => void,
): { done: Promise<void>; stop: () => void } {
  let stopFn: () => void = () => {};
  const done = (async () => {
    const raw = (await docker.getContainer(containerId).logs({
      follow: true,
      stdout: true,
      stderr: true,
      timestamps: true,
      ...(opts.sinceSeconds ? { since: opts.sinceSeconds } : {}),
    })) as unknown as NodeJS.ReadableStream & { destroy?: () => void };
    let stopped = false;
    stopFn = () => {
      stopped = true;
      raw.destroy?.();
    };
    const pending = { stdout: '', stderr: '' };
    /** Sortable time of the last line handed to the sink, per stream. */
    const last = { stdout: '', stderr: '' };
    const emit = (stream: 'stdout' | 'stderr', line: string) => {
      const l = { stream, ...splitTimestamp(line) };
      last[stream] = sortableTime(l.time);
      sink(l);
    };
    const emitText = (stream: 'stdout' | 'stderr', text: string) => {
      pending[stream] += text;
      let nl: number;
      while ((nl = pending[stream].indexOf('\n')) >= 0) {
        const line = pending[stream].slice(0, nl).replace(/\r$/, '');
        pending[stream] = pending[stream].slice(nl + 1);
        emit(stream, line);
      }
    };
    // Parsed inline so stdout and stderr lines keep the order Docker sent them in.
    const demux = frameParser(emitText);
    raw.on('data', demux);
    await new Promise<void>((resolve) => {
      raw.on('end', resolve);
      raw.on('close', resolve);
      raw.on('error', () => resolve());
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      if (pending[stream]) emit(stream, pending[stream]);
      pending[stream] = '';
    }
    if (stopped) return;
    // Docker can end a follow before the container's last output reaches it (a final line with no
    // newline is written as the container stops): read once more and keep only what is newer.
    const seen = [last.stdout, last.stderr].filter(Boolean).sort()[0];
    const since = seen ? Math.floor(Date.parse(`${seen.slice(0, 19)}Z`) / 1000) : opts.sinceSeconds;
    const rest = (await docker.getContainer(containerId).logs({
      follow: false,
      stdout: true,
      stderr: true,
      timestamps: true,
      ...(since ? { since } : {}),
    })) as unknown as Buffer;
    const before = { ...last };
    frameParser((stream, text) => {
      pending[stream] += text;
    })(Buffer.isBuffer(rest) ? rest : Buffer.from(rest));
    for (const stream of ['stdout', 'stderr'] as const) {
      const lines = pending[stream].split('\n');
      if (lines.at(-1) === '') lines.pop();
      for (const line of lines) {
        const l = { stream, ...splitTimestamp(line.replace(/\r$/, '')) };
        if (sortableTime(l.time) > before[stream]) sink(l);
      }
    }
  })().catch(() => {
    // The container vanished before we attached: nothing to follow.
  });
  return { done, stop: () => stopFn() };
}

/** Docker's multiplexed framing: [type, 0, 0, 0, size(4, BE)] + payload; type 2 is stderr. */
function frameParser(onText: (stream: 'stdout' | 'stderr', text: string) => void): (chunk: Buffer) => void {
  let buf: Buffer = Buffer.alloc(0);
  return (chunk) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    while (buf.length >= 8) {
      const size = buf.readUInt32BE(4);
      if (buf.length < 8 + size) break;
      const type = buf[0];
      const payload = buf.subarray(8, 8 + size).toString('utf8');
      buf = buf.subarray(8 + size);
      onText(type === 2 ? 'stderr' : 'stdout', payload);
    }
  };
}

/** Docker trims trailing zeros of RFC3339Nano fractions; pad them so times compare as strings. */
function sortableTime(t: string): string {
  const m = /^(.*?T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(t);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}${m[3]}` : t;
}
