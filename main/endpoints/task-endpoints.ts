/**
 * Task endpoints as seen from inside containers: the metadata server (v3/v4) and the task-role
 * credentials endpoint, served by one node:http server in the main process, plus the helpers
 * that make 169.254.170.2 answer inside bridge and awsvpc namespaces (endpoint-helper.ts).
 *
 * Lifecycle, driven by the engine: prepareTask (ids + env, before containers are created) →
 * attach (once per network namespace, after it exists) → dispose (ids revoked at once, helpers
 * removed). Ids are random and unguessable; they are the only access control, as on ECS.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Docker from 'dockerode';
import type { CredentialSource } from '../aws/credential-source.js';
import { createEndpointHandler, type MetadataTarget, type TaskEndpointsSource } from './endpoint-server.js';
import { ENDPOINT_ADDRESS, TaskHelpers } from './endpoint-helper.js';

export type { TaskEndpointsSource } from './endpoint-server.js';

/** What the engine knows about a task when it prepares its endpoints. */
export interface PrepareTaskInput {
  readonly taskId: string;
  readonly taskArn: string;
  readonly family: string;
  readonly revision: number;
  readonly networkMode: 'bridge' | 'host' | 'awsvpc' | 'none';
  readonly taskRoleArn?: string;
  readonly containerNames: readonly string[];
  readonly source: TaskEndpointsSource;
  /** Ids handed out before (a task re-adopted after a restart keeps the URIs its containers know). */
  readonly restoreIds?: TaskEndpointIds;
}

/** The opaque ids of one task's endpoints (persisted with the task record). */
export interface TaskEndpointIds {
  readonly metadata: Readonly<Record<string, string>>;
  readonly credentials?: string;
}

/** One task's endpoints. */
export interface PreparedTaskEndpoints {
  /**
   * Environment to add to the container: ECS_CONTAINER_METADATA_URI(_V4) always; with a task
   * role AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (host mode: AWS_CONTAINER_CREDENTIALS_FULL_URI on
   * 127.0.0.1, since 169.254.170.2 does not answer on the host).
   */
  env(containerName: string): Record<string, string>;
  /** Extra /etc/hosts entries the task's containers need (none today; kept for the engine's create path). */
  readonly extraHosts: readonly string[];
  /**
   * After the task's network namespace exists (awsvpc: the pause container id; bridge: each app
   * container id right after it starts) — make 169.254.170.2 answer inside. Resolves once a
   * request through it has succeeded. No-op for host/none. A failure should not fail the task:
   * log it (the task runs, without the endpoints reachable at 169.254.170.2).
   */
  attach(networkContainerId: string): Promise<void>;
  /** Revokes the ids at once (credentials → 400, metadata → 404) and removes the helpers. */
  dispose(): Promise<void>;
  /** The ids handed out (to persist, so a restart can restore them). */
  readonly ids: TaskEndpointIds;
}

/** The endpoints service (one per engine). */
export interface TaskEndpoints {
  prepareTask(input: PrepareTaskInput): Promise<PreparedTaskEndpoints>;
  /** Port the server listens on (same on every listen address). */
  readonly port: number;
  /** Addresses the server listens on. */
  readonly listenHosts: readonly string[];
  /** Disposes every prepared task and stops the server. */
  close(): Promise<void>;
}

/** How the endpoints service is built. */
export interface TaskEndpointsOptions {
  readonly docker: Docker;
  readonly credentials: CredentialSource;
  /**
   * Image for the 169.254.170.2 helpers: anything with BusyBox (`sh`, `ip`, `nc`, `wget`) and
   * root. Default `busybox:stable` (pulled on first use).
   */
  readonly helperImage?: string;
  /**
   * Address to listen on. Default: 127.0.0.1 plus the default bridge's gateway when it is an
   * address of this machine (Linux); Docker Desktop reaches 127.0.0.1 through its host alias.
   */
  readonly listenHost?: string;
  /** Default 0 (a random free port). */
  readonly port?: number;
  /**
   * Where the helpers reach this server from the bridge network: `host-gateway` (default; Docker
   * resolves it to the host on Linux and Docker Desktop), `host.docker.internal`, or an IP.
   */
  readonly hostAddress?: string;
  /** Extra labels on helper containers. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Diagnostics (never given a secret value or an id). */
  readonly log?: (message: string) => void;
}

const DEFAULT_HELPER_IMAGE = 'busybox:stable';

/** Starts the endpoint server and returns the service the engine calls. */
export async function createTaskEndpoints(opts: TaskEndpointsOptions): Promise<TaskEndpoints> {
  const metadataIds = new Map<string, MetadataTarget>();
  const credentialIds = new Map<string, { roleArn: string }>();
  const log = opts.log ?? (() => {});
  const handler = createEndpointHandler(
    { metadata: (id) => metadataIds.get(id), credentials: (id) => credentialIds.get(id) },
    opts.credentials,
    log,
  );
  const hosts = opts.listenHost ? [opts.listenHost] : ['127.0.0.1', ...(await bridgeGateway(opts.docker))];
  const { servers, port, listening } = await listenAll(hosts, opts.port ?? 0, handler);
  const helperImage = opts.helperImage ?? DEFAULT_HELPER_IMAGE;
  let imageReady: Promise<void> | undefined;
  const ensureImage = (): Promise<void> => {
    imageReady ??= ensureImagePresent(opts.docker, helperImage).catch((err: unknown) => {
      imageReady = undefined;
      throw err;
    });
    return imageReady;
  };
  const hostBase = `http://${loopbackOrFirst(listening)}:${port}`;
  const prepared = new Set<PreparedTaskEndpoints>();

  const service: TaskEndpoints = {
    port,
    listenHosts: listening,
    async prepareTask(input) {
      const idsByName = new Map<string, string>();
      for (const name of input.containerNames) {
        const id = input.restoreIds?.metadata[name] ?? randomUUID();
        idsByName.set(name, id);
        metadataIds.set(id, { source: input.source, containerName: name });
      }
      const credId = input.taskRoleArn ? (input.restoreIds?.credentials ?? randomUUID()) : undefined;
      if (credId && input.taskRoleArn) credentialIds.set(credId, { roleArn: input.taskRoleArn });
      const helpers = new TaskHelpers({
        docker: opts.docker,
        image: helperImage,
        taskId: input.taskId,
        targetHost: opts.hostAddress ?? 'host-gateway',
        targetPort: port,
        labels: opts.labels ?? {},
        ensureImage,
      });
      const base = input.networkMode === 'host' ? hostBase : `http://${ENDPOINT_ADDRESS}`;
      let disposed: Promise<void> | undefined;
      const revoke = (): void => {
        for (const id of idsByName.values()) metadataIds.delete(id);
        if (credId) credentialIds.delete(credId);
      };
      const handle: PreparedTaskEndpoints = {
        extraHosts: [],
        ids: { metadata: Object.fromEntries(idsByName), ...(credId ? { credentials: credId } : {}) },
        env(containerName) {
          const id = idsByName.get(containerName);
          if (!id) throw new Error(`container '${containerName}' was not declared to prepareTask`);
          const env: Record<string, string> = {
            ECS_CONTAINER_METADATA_URI: `${base}/v3/${id}`,
            ECS_CONTAINER_METADATA_URI_V4: `${base}/v4/${id}`,
          };
          if (credId) {
            if (input.networkMode === 'host')
              env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `${hostBase}/v2/credentials/${credId}`;
            else env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = `/v2/credentials/${credId}`;
          }
          return env;
        },
        attach(networkContainerId) {
          if (disposed) return Promise.reject(new Error('task endpoints already disposed'));
          if (input.networkMode === 'host' || input.networkMode === 'none') return Promise.resolve();
          return helpers.attach(networkContainerId);
        },
        dispose() {
          revoke();
          disposed ??= helpers.dispose().finally(() => prepared.delete(handle));
          return disposed;
        },
      };
      prepared.add(handle);
      return handle;
    },
    async close() {
      await Promise.allSettled([...prepared].map((p) => p.dispose()));
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
  return service;
}

function loopbackOrFirst(hosts: readonly string[]): string {
  if (hosts.includes('127.0.0.1') || hosts.includes('0.0.0.0')) return '127.0.0.1';
  return hosts[0] ?? '127.0.0.1';
}

/** The default bridge's gateway (where containers reach the host on Linux), if Docker reports one. */
async function bridgeGateway(docker: Docker): Promise<string[]> {
  try {
    const info = (await docker.getNetwork('bridge').inspect()) as {
      IPAM?: { Config?: { Gateway?: string; Subnet?: string }[] };
    };
    const cfg = info.IPAM?.Config?.[0];
    if (cfg?.Gateway) return [cfg.Gateway];
    const m = cfg?.Subnet ? /^(\d+\.\d+\.\d+)\.\d+\//.exec(cfg.Subnet) : null;
    return m ? [`${m[1]}.1`] : [];
  } catch {
    return [];
  }
}

/**
 * Listens on every host with one port. An address that is not on this machine (the bridge
 * gateway under Docker Desktop) is skipped; the first host must work.
 */
async function listenAll(
  hosts: readonly string[],
  wantedPort: number,
  handler: Parameters<typeof createServer>[1],
): Promise<{ servers: Server[]; port: number; listening: string[] }> {
  for (let attempt = 0; ; attempt++) {
    const servers: Server[] = [];
    const listening: string[] = [];
    let port = wantedPort;
    try {
      for (const [index, host] of hosts.entries()) {
        const server = createServer(handler);
        server.keepAliveTimeout = 5_000;
        try {
          await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(port, host, () => {
              server.off('error', reject);
              resolve();
            });
          });
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (index > 0 && code === 'EADDRNOTAVAIL') continue;
          throw err;
        }
        port = (server.address() as AddressInfo).port;
        servers.push(server);
        listening.push(host);
      }
      return { servers, port, listening };
    } catch (err) {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      // A random port taken on the second address: try another one.
      if (wantedPort === 0 && (err as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 5) continue;
      throw err;
    }
  }
}

async function ensureImagePresent(docker: Docker, image: string): Promise<void> {
  try {
    await docker.getImage(image).inspect();
    return;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
  const stream = await docker.pull(image);
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}
