import Docker from 'dockerode';
import { DockerConnectionError, describeDockerError } from './connection-error.js';
import type { ResolvedConnection } from './connection.js';

/** What the daemon said about itself on connect. */
export interface DockerServerInfo {
  readonly serverVersion: string;
  readonly apiVersion: string;
  readonly os: string;
}

/** A client that answered a ping, plus its server's identity. */
export interface DockerConnection {
  readonly docker: Docker;
  readonly info: DockerServerInfo;
}

/** Knobs for `connectDocker`; the defaults suit the app. */
export interface ConnectDockerOptions {
  /** Budget for ping + version together. Default 5 000 ms (SSH handshakes need a few seconds). */
  readonly timeoutMs?: number;
  /** Seam for tests. Default `new Docker(options)`. */
  readonly createDocker?: (options: ResolvedConnection['options']) => Docker;
}

/** The ping/version calls with the abort option docker-modem supports but @types/dockerode omits. */
interface AbortableDocker {
  ping(opts: { abortSignal: AbortSignal }): Promise<unknown>;
  version(opts: { abortSignal: AbortSignal }): Promise<Docker.DockerVersion>;
}

/**
 * Builds a client for `resolved`, pings it and reads its version within a short timeout.
 * Rejects with a `DockerConnectionError` whose message names the endpoint when it is unreachable.
 */
export async function connectDocker(
  resolved: ResolvedConnection,
  opts: ConnectDockerOptions = {},
): Promise<DockerConnection> {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const create = opts.createDocker ?? ((options) => new Docker(options));
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // A hard deadline too: an SSH handshake does not always honour the abort signal.
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' });
      controller.abort(err);
      reject(err);
    }, timeoutMs);
  });
  try {
    const docker = create(resolved.options);
    const abortable = docker as unknown as AbortableDocker;
    const version = await Promise.race([
      (async () => {
        await abortable.ping({ abortSignal: controller.signal });
        return abortable.version({ abortSignal: controller.signal });
      })(),
      deadline,
    ]);
    return {
      docker,
      info: { serverVersion: version.Version, apiVersion: version.ApiVersion, os: version.Os },
    };
  } catch (err) {
    const timedOut = controller.signal.aborted;
    const described = describeDockerError(timedOut ? controller.signal.reason : err, resolved);
    throw new DockerConnectionError({ ...described, endpoint: resolved.endpoint, cause: err });
  } finally {
    clearTimeout(timer);
  }
}
