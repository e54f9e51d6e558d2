/**
 * Follows one container's stdout/stderr (Docker's multiplexed stream, with timestamps) and hands
 * complete lines to a sink. Ends when the container's log stream ends (after it exits).
 */
import type Docker from 'dockerode';

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
    stopFn = () => raw.destroy?.();
    const pending = { stdout: '', stderr: '' };
    const emitText = (stream: 'stdout' | 'stderr', text: string) => {
      pending[stream] += text;
      let nl: number;
      while ((nl = pending[stream].indexOf('\n')) >= 0) {
        const line = pending[stream].slice(0, nl).replace(/\r$/, '');
        pending[stream] = pending[stream].slice(nl + 1);
        sink({ stream, ...splitTimestamp(line) });
      }
    };
    // Docker's multiplexed framing: [type, 0, 0, 0, size(4, BE)] + payload. Parsed inline so
    // stdout and stderr lines keep the order Docker sent them in.
    let buf: Buffer = Buffer.alloc(0);
    raw.on('data', (chunk: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      while (buf.length >= 8) {
        const size = buf.readUInt32BE(4);
        if (buf.length < 8 + size) break;
        const type = buf[0];
        const payload = buf.subarray(8, 8 + size).toString('utf8');
        buf = buf.subarray(8 + size);
        emitText(type === 2 ? 'stderr' : 'stdout', payload);
      }
    });
    await new Promise<void>((resolve) => {
      raw.on('end', resolve);
      raw.on('close', resolve);
      raw.on('error', () => resolve());
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      if (pending[stream]) sink({ stream, ...splitTimestamp(pending[stream]) });
    }
  })().catch(() => {
    // The container vanished before we attached: nothing to follow.
  });
  return { done, stop: () => stopFn() };
}
