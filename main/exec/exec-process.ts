/**
 * One `docker exec` process, hijacked: what ECS Exec's SSM session is on AWS, here a Docker exec
 * (`AttachStdin/Stdout/Stderr`, `Tty` for interactive shells) over the Docker API connection.
 * Output goes to the sink as raw bytes (a TTY multiplexes nothing; without one, stdout and stderr
 * are demultiplexed); `exited` resolves once Docker closes the stream (the process exited, or the
 * container stopped) with the exit code Docker recorded.
 */
import type { Duplex } from 'node:stream';
import { Writable } from 'node:stream';
import type Docker from '../docker/docker-client.js';

/** What to run, and how. */
export interface ExecProcessOptions {
  /** argv (see splitCommand); run without a shell, as ECS Exec does. */
  readonly command: readonly string[];
  /** Allocate a pseudo-terminal (interactive shells); stdout and stderr are then one stream. */
  readonly tty: boolean;
  /** Initial terminal size (TTY only). */
  readonly cols?: number;
  readonly rows?: number;
}

/** Where output goes. */
export interface ExecSink {
  stdout(chunk: Buffer): void;
  /** Only without a TTY. */
  stderr(chunk: Buffer): void;
}

/** A running exec. */
export interface ExecProcess {
  readonly execId: string;
  /** Input to the process (keystrokes on a TTY). Ignored once the stream is closed. */
  write(data: string | Buffer): void;
  /** EOF on stdin (pipes); the process keeps running until it sees it. */
  endInput(): void;
  /** New terminal size (TTY only); a process that already exited is not an error. */
  resize(cols: number, rows: number): Promise<void>;
  /** The exit code once the stream closed; null when Docker has none (killed before it started). */
  readonly exited: Promise<number | null>;
  /**
   * Ends the process on behalf of the user: Docker has no "kill exec" and keeps an exec running when
   * its client goes away, so on a TTY this types ^C then ^D (interrupt, then end-of-input at the
   * prompt: what a person closing a shell does), otherwise closes stdin; the connection is dropped
   * after `graceMs` if the process is still there.
   */
  close(graceMs?: number): void;
}

/** The dockerode slice an exec needs. */
export type ExecDocker = Pick<Docker, 'getContainer' | 'modem'>;

/** Starts `options.command` in `containerId`; resolves once Docker has attached the streams. */
export async function startExecProcess(
  docker: ExecDocker,
  containerId: string,
  options: ExecProcessOptions,
  sink: ExecSink,
): Promise<ExecProcess> {
  const exec = await docker.getContainer(containerId).exec({
    Cmd: [...options.command],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: options.tty,
    // Docker passes the container's environment (ECS_CONTAINER_METADATA_URI_V4 …) to execs; a
    // terminal also needs to say what it is.
    ...(options.tty ? { Env: ['TERM=xterm-256color'] } : {}),
  });
  const stream: Duplex = await exec.start({ hijack: true, stdin: true, Tty: options.tty });
  let open = true;

  if (options.tty) {
    stream.on('data', (chunk: Buffer) => sink.stdout(chunk));
  } else {
    const to = (write: (chunk: Buffer) => void) =>
      new Writable({
        write(chunk: Buffer, _enc, done) {
          write(chunk);
          done();
        },
      });
    // docker-modem's demuxer reads the 8-byte frame headers Docker puts on non-TTY streams.
    (docker.modem as { demuxStream(s: Duplex, out: Writable, err: Writable): void }).demuxStream(
      stream,
      to((c) => sink.stdout(c)),
      to((c) => sink.stderr(c)),
    );
  }

  const exited = new Promise<number | null>((resolve) => {
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      open = false;
      exec.inspect().then(
        (info) => resolve(info.ExitCode ?? null),
        () => resolve(null),
      );
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
  });

  // Docker applies resize calls as they arrive: two in flight (a burst of SIGWINCH, e.g. `stty
  // cols` then `rows`) can land out of order and leave the older size. So one call at a time,
  // always with the newest size asked for.
  let wanted: { cols: number; rows: number } | undefined;
  let sizing: Promise<void> | undefined;
  const resize = (cols: number, rows: number): Promise<void> => {
    if (!options.tty || !open) return Promise.resolve();
    wanted = { cols, rows };
    sizing ??= (async () => {
      while (wanted && open) {
        const next = wanted;
        wanted = undefined;
        try {
          await exec.resize({ h: next.rows, w: next.cols });
        } catch {
          // The process may exit between the check and the call; a size for a gone process is moot.
        }
      }
    })().finally(() => {
      sizing = undefined;
    });
    return sizing;
  };
  if (options.tty && options.cols && options.rows) await resize(options.cols, options.rows);

  const write = (data: string | Buffer): void => {
    if (open && stream.writable) stream.write(data);
  };
  const endInput = (): void => {
    if (open && stream.writable) stream.end();
  };
  return {
    execId: exec.id,
    write,
    endInput,
    resize,
    exited,
    close(graceMs = 2000) {
      if (!open) return;
      if (options.tty) write('\x03\x04');
      else endInput();
      const timer = setTimeout(() => stream.destroy(), graceMs);
      timer.unref();
      // `exited` only resolves.
      exited.then(() => clearTimeout(timer)).catch(() => undefined);
    },
  };
}
