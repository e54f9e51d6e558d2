/**
 * Task endpoints as seen from inside containers: the metadata server (v3/v4) and the task-role
 * credentials endpoint, served by one node:http server in the main process, plus the helpers
 * that make 169.254.170.2 answer inside bridge and awsvpc namespaces (endpoint-helper.ts).
 *
 * Lifecycle, driven by the engine: prepareTask (ids + env, before containers are created) →
 * attach (once per network namespace, after it exists) → dispose (ids revoked at once, helpers
 * removed).
 *
 * Access control, in two parts:
 *  - ids are unguessable and derived from a secret key (endpoint-ids.ts), so none is ever written
 *    into a task record;
 *  - an id is answered only on its own task's path. Bridge/awsvpc: requests reach the shared
 *    server from the task's proxy container, so the source address (the proxy's IPs, registered
 *    when it starts or joins a network) names the task. Host mode: the task gets its own
 *    listener on 127.0.0.1, and only that listener answers its ids. Anything else — the host
 *    on the shared port, another task's proxy — gets the unknown-id answers.
 * Host mode cannot tell the task's containers from other processes on this machine (they share
 * the network namespace), so there the id on the task's own port is the remaining key.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Docker from '../docker/docker-client.js';
import type { RoleCredentials } from '../aws/credential-source.js';
import {
  createEndpointHandler,
  respond,
  type CredentialsTarget,
  type EndpointResponse,
  type MetadataTarget,
  type RequestPath,
  type TaskEndpointsSource,
} from './endpoint-server.js';
import { ENDPOINT_ADDRESS, TaskHelpers } from './endpoint-helper.js';
import { deriveEndpointId } from './endpoint-ids.js';

export type { TaskEndpointsSource } from './endpoint-server.js';

/** What the engine knows about a task when it prepares its endpoints. */
export interface PrepareTaskInput {
  readonly taskId: string;
  readonly taskArn: string;
  readonly family: string;
  readonly revision: number;
  readonly networkMode: 'bridge' | 'host' | 'awsvpc' | 'none';
  readonly taskRoleArn?: string;
  /** The task's credentials (required with a taskRoleArn). */
  readonly credentials?: () => Promise<RoleCredentials>;
  readonly containerNames: readonly string[];
  readonly source: TaskEndpointsSource;
  /**
   * Ids a task launched by an older version had in its record (it keeps the URIs its containers
   * know). New tasks need none: their ids are derived again from the key.
   */
  readonly restoreIds?: TaskEndpointIds;
}

/** The opaque ids of one task's endpoints. */
export interface TaskEndpointIds {
  readonly metadata: Readonly<Record<string, string>>;
  readonly credentials?: string;
}

/** One task's endpoints. */
export interface PreparedTaskEndpoints {
  /**
   * Environment to add to the container: ECS_CONTAINER_METADATA_URI(_V4) and ECS_AGENT_URI always; with a task
   * role AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (host mode: AWS_CONTAINER_CREDENTIALS_FULL_URI on
   * 127.0.0.1, since 169.254.170.2 does not answer on the host).
   */
  env(containerName: string): Record<string, string>;
  /** Extra /etc/hosts entries the task's containers need (none today; kept for the engine's create path). */
  readonly extraHosts: readonly string[];
  /**
   * Bridge mode: the task's start-gate volume (endpoint-gate.ts). Each app container runs behind
   * the gate, so 169.254.170.2 answers from its first instruction.
   */
  readonly gateVolume?: string;
  /**
   * After the task's network namespace exists (awsvpc: the pause container id; bridge: each app
   * container id right after it starts) — make 169.254.170.2 answer inside. Resolves once a
   * request through it has succeeded. No-op for host/none. A failure should not fail the task:
   * log it (the task runs, without the endpoints reachable at 169.254.170.2).
   */
  attach(networkContainerId: string): Promise<void>;
  /** Revokes the ids at once (credentials → 400, metadata → 404) and removes the helpers. */
  dispose(): Promise<void>;
  /** The ids handed out (never persisted; derived again after a restart). */
  readonly ids: TaskEndpointIds;
  /** What this task's containers get for `GET url` (for the inspector; answered in-process). */
  request(url: string): Promise<EndpointResponse>;
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
  /**
   * Secret the ids are derived from (see endpoint-ids.ts); keep it in a private file so a
   * restarted engine hands re-adopted tasks the same ids. Default: random, for this process only.
   */
  readonly idKey?: Buffer;
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

/** The source address of a request, without the IPv4-mapped prefix. */
function remoteIp(req: IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

/** Starts the endpoint server and returns the service the engine calls. */
export async function createTaskEndpoints(opts: TaskEndpointsOptions): Promise<TaskEndpoints> {
  const metadataIds = new Map<string, MetadataTarget>();
  const credentialIds = new Map<string, CredentialsTarget>();
  /** Proxy container address → the task whose proxy it is. */
  const proxyAddresses = new Map<string, string>();
  const idKey = opts.idKey ?? randomBytes(32);
  const log = opts.log ?? (() => {});
  const lookup = {
    metadata: (id: string) => metadataIds.get(id),
    credentials: (id: string) => credentialIds.get(id),
  };
  const handlerFor = (pathOf: RequestPath) => createEndpointHandler(lookup, pathOf, log);
  const hosts = opts.listenHost ? [opts.listenHost] : ['127.0.0.1', ...(await bridgeGateway(opts.docker))];
  const { servers, port, listening } = await listenAll(
    hosts,
    opts.port ?? 0,
    handlerFor((req) => proxyAddresses.get(remoteIp(req))),
  );
  const helperImage = opts.helperImage ?? DEFAULT_HELPER_IMAGE;
  let imageReady: Promise<void> | undefined;
  const ensureImage = (): Promise<void> => {
    imageReady ??= ensureImagePresent(opts.docker, helperImage).catch((err: unknown) => {
      imageReady = undefined;
      throw err;
    });
    return imageReady;
  };
  const prepared = new Set<PreparedTaskEndpoints>();

  const service: TaskEndpoints = {
    port,
    listenHosts: listening,
    async prepareTask(input) {
      const taskPath = input.taskId;
      const idsByName = new Map<string, string>();
      for (const name of input.containerNames) {
        const id =
          input.restoreIds?.metadata[name] ??
          deriveEndpointId(idKey, input.taskId, { kind: 'metadata', container: name });
        idsByName.set(name, id);
        metadataIds.set(id, {
          source: input.source,
          containerName: name,
          path: taskPath,
          ...(input.taskRoleArn ? { hasTaskRole: true } : {}),
        });
      }
      const roleArn = input.taskRoleArn;
      const credId = roleArn
        ? (input.restoreIds?.credentials ?? deriveEndpointId(idKey, input.taskId, { kind: 'credentials' }))
        : undefined;
      if (credId && roleArn) {
        const get = input.credentials;
        // The first fetch starts now; until it settles the id answers 503 CredentialsUninitialized,
        // as the agent does for a task whose credentials have not arrived yet.
        let pending = get !== undefined;
        get?.().then(
          () => (pending = false),
          () => (pending = false),
        );
        credentialIds.set(credId, {
          roleArn,
          path: taskPath,
          credentials: get ?? (() => Promise.reject(new Error('no credentials source for this task'))),
          pending: () => pending,
        });
      }
      // Host mode: a listener of the task's own, the only one that answers its ids.
      const own =
        input.networkMode === 'host'
          ? await listenAll(
              ['127.0.0.1'],
              0,
              handlerFor(() => taskPath),
            )
          : undefined;
      const myAddresses = new Set<string>();
      const revoke0 = (): void => {
        for (const id of idsByName.values()) metadataIds.delete(id);
        if (credId) credentialIds.delete(credId);
        for (const ip of myAddresses) proxyAddresses.delete(ip);
      };
      const helpers = new TaskHelpers({
        docker: opts.docker,
        image: helperImage,
        taskId: input.taskId,
        targetHost: opts.hostAddress ?? 'host-gateway',
        targetPort: port,
        labels: opts.labels ?? {},
        ensureImage,
        onAddress(ip) {
          myAddresses.add(ip);
          proxyAddresses.set(ip, taskPath);
        },
      });
      let gateVolume: string | undefined;
      if (input.networkMode === 'bridge') {
        try {
          gateVolume = await helpers.prepareGate();
        } catch (err) {
          revoke0();
          await helpers.dispose();
          throw err;
        }
      }
      const base = own ? `http://127.0.0.1:${own.port}` : `http://${ENDPOINT_ADDRESS}`;
      let disposed: Promise<void> | undefined;
      const revoke = (): void => {
        for (const id of idsByName.values()) metadataIds.delete(id);
        if (credId) credentialIds.delete(credId);
        for (const ip of myAddresses) if (proxyAddresses.get(ip) === taskPath) proxyAddresses.delete(ip);
      };
      const handle: PreparedTaskEndpoints = {
        extraHosts: [],
        ...(gateVolume ? { gateVolume } : {}),
        ids: { metadata: Object.fromEntries(idsByName), ...(credId ? { credentials: credId } : {}) },
        env(containerName) {
          const id = idsByName.get(containerName);
          if (!id) throw new Error(`container '${containerName}' was not declared to prepareTask`);
          const env: Record<string, string> = {
            ECS_CONTAINER_METADATA_URI: `${base}/v3/${id}`,
            ECS_CONTAINER_METADATA_URI_V4: `${base}/v4/${id}`,
            // The agent API (task scale-in protection), keyed by the same endpoint id
            // (amazon-ecs-agent agent/api/container/container.go AgentURIFormat).
            ECS_AGENT_URI: `${base}/api/${id}`,
          };
          if (credId) {
            if (own) env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `${base}/v2/credentials/${credId}`;
            else env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = `/v2/credentials/${credId}`;
          }
          return env;
        },
        attach(networkContainerId) {
          if (disposed) return Promise.reject(new Error('task endpoints already disposed'));
          if (input.networkMode === 'host' || input.networkMode === 'none') return Promise.resolve();
          return helpers.attach(networkContainerId);
        },
        request: (url) => respond(lookup, 'GET', url, taskPath),
        dispose() {
          revoke();
          disposed ??= Promise.all([helpers.dispose(), own ? closeServers(own.servers) : undefined])
            .then(() => undefined)
            .finally(() => prepared.delete(handle));
          return disposed;
        },
      };
      prepared.add(handle);
      return handle;
    },
    async close() {
      await Promise.allSettled([...prepared].map((p) => p.dispose()));
      await closeServers(servers);
    },
  };
  return service;
}

function closeServers(servers: readonly Server[]): Promise<void> {
  return Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        }),
    ),
  ).then(() => undefined);
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
