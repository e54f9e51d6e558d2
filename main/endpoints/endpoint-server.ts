/**
 * The HTTP side of the endpoints: routes `/v3|/v4/<id>[/task][/stats]` and `/v2/credentials/<id>`
 * to live documents. Ids are looked up on every request, so revoking one takes effect at once.
 *
 * An id alone is not enough: every request carries the *path* it came by (the task whose proxy
 * relayed it, or the task whose own loopback listener took it; nothing for anything else), and
 * an id is answered only on its own task's path. A valid id from the host, or from another task,
 * gets the same answer as an unknown one (credentials: the agent's 400; metadata: 404).
 * Credential values are written to the response only — never to a log or an error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Docker from '../docker/docker-client.js';
import type { TaskDetail } from '../../contract/dto.js';
import type { RoleCredentials } from '../aws/credential-source.js';
import { buildContainerDocument, buildTaskDocument, type ContainerRuntime } from './metadata-documents.js';

/** The live view of a task the documents are built from (supplied by the engine). */
export interface TaskEndpointsSource {
  /** Current record. */
  task(): TaskDetail;
  /** Docker id once the container exists. */
  containerId(name: string): string | undefined;
  /** dockerode, for inspect. */
  readonly docker: Docker;
  /**
   * The container's latest stats document in the agent's shape (Docker's stats JSON plus
   * `network_rate_stats`), from the engine's stats stream; undefined when it has none.
   */
  stats?(containerName: string): Promise<Record<string, unknown> | undefined>;
}

/** What a metadata id points at. */
export interface MetadataTarget {
  readonly source: TaskEndpointsSource;
  readonly containerName: string;
  /** The only path this id is answered on (the owning task's). */
  readonly path: string;
}

/** What a credentials id points at. */
export interface CredentialsTarget {
  readonly roleArn: string;
  /** The only path this id is answered on (the owning task's). */
  readonly path: string;
  /** The task's current credentials. */
  credentials(): Promise<RoleCredentials>;
}

/** Id lookups the handler needs; undefined = unknown or revoked. */
export interface EndpointLookup {
  metadata(id: string): MetadataTarget | undefined;
  credentials(id: string): CredentialsTarget | undefined;
}

/** Which task's path a request came by; undefined when it came by none (e.g. from the host). */
export type RequestPath = (req: IncomingMessage) => string | undefined;

/** Path the helper's readiness probe fetches through 169.254.170.2. */
export const PING_PATH = '/taskdeck-endpoints/ping';
export const PING_BODY = 'taskdeck-endpoints-ok';

/** Exact body of an unknown or revoked credentials id (semantics §9). */
export const CREDENTIALS_NOT_FOUND = JSON.stringify({
  code: 'InvalidIdInRequest',
  message: 'CredentialsV2Request: Credentials not found',
  HTTPErrorCode: 400,
});

/** A response before it is written. */
export interface EndpointResponse {
  readonly status: number;
  readonly body: string;
  readonly type: string;
}

/** Creates the request handler. */
export function createEndpointHandler(
  lookup: EndpointLookup,
  pathOf: RequestPath,
  log: (message: string) => void = () => {},
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    respond(lookup, req.method ?? 'GET', req.url ?? '/', pathOf(req)).then(
      (r) => send(res, r),
      (err: unknown) => {
        log(`endpoint ${sanitizePath(req.url)} failed: ${(err as Error).message}`);
        if (!res.headersSent) send(res, json(500, { message: 'internal error' }));
        else res.destroy();
      },
    );
  };
}

/** The path with ids blanked out, for logs (ids are bearer secrets). */
function sanitizePath(url: string | undefined): string {
  return (url ?? '').replace(/^(\/v[234]\/(?:credentials\/)?)[^/?]+/, '$1<id>');
}

function json(status: number, value: unknown): EndpointResponse {
  return {
    status,
    body: typeof value === 'string' ? value : JSON.stringify(value),
    type: 'application/json',
  };
}

function send(res: ServerResponse, r: EndpointResponse): void {
  res.writeHead(r.status, {
    'Content-Type': r.type,
    'Content-Length': Buffer.byteLength(r.body),
    // The helper relays one connection per request; closing keeps its forks short-lived.
    Connection: 'close',
  });
  res.end(r.body);
}

const NOT_FOUND = json(404, { message: 'not found' });

/**
 * The answer to `method url` arriving by `path` (undefined: by no task's path). Exported for the
 * inspector, which asks in-process on the task's behalf.
 */
export async function respond(
  lookup: EndpointLookup,
  method: string,
  url: string,
  path: string | undefined,
): Promise<EndpointResponse> {
  const route = new URL(url, 'http://endpoint').pathname.replace(/\/+$/, '') || '/';
  if (method !== 'GET' && method !== 'HEAD') return json(405, { message: 'method not allowed' });
  if (route === PING_PATH) return { status: 200, body: PING_BODY, type: 'text/plain' };
  const cred = /^\/v2\/credentials(?:\/([^/]*))?$/.exec(route);
  if (cred) {
    const target = cred[1] ? lookup.credentials(cred[1]) : undefined;
    if (!target || path === undefined || target.path !== path) return json(400, CREDENTIALS_NOT_FOUND);
    let c;
    try {
      c = await target.credentials();
    } catch (err) {
      return json(500, {
        code: 'InternalServerError',
        message: `CredentialsV2Request: unable to get credentials: ${(err as Error).message}`,
        HTTPErrorCode: 500,
      });
    }
    // Token is always a string: the SDKs reject a credentials document without one.
    return json(200, {
      RoleArn: target.roleArn,
      AccessKeyId: c.AccessKeyId,
      SecretAccessKey: c.SecretAccessKey,
      Token: c.Token ?? '',
      Expiration: c.Expiration,
    });
  }
  return metadata(lookup, route, path);
}

async function metadata(
  lookup: EndpointLookup,
  route: string,
  path: string | undefined,
): Promise<EndpointResponse> {
  const meta = /^\/v[34]\/([^/]+)(\/task)?(\/stats)?$/.exec(route);
  const target = meta?.[1] ? lookup.metadata(meta[1]) : undefined;
  if (!meta || !target || path === undefined || target.path !== path) return NOT_FOUND;
  const wholeTask = meta[2] !== undefined;
  const stats = meta[3] !== undefined;
  const { source, containerName } = target;
  const task = source.task();
  if (stats) {
    // Served from the engine's stats stream (the same samples the charts show), never a one-shot
    // call; `{}` where there is no sample, as the agent answers for a container it has no stats for.
    const statsOf = async (name: string) => (await source.stats?.(name)) ?? {};
    if (wholeTask) {
      const out: Record<string, unknown> = {};
      await Promise.all(
        task.containers.map(async (c) => {
          const id = source.containerId(c.name);
          if (id) out[id] = await statsOf(c.name);
        }),
      );
      return json(200, out);
    }
    return json(200, await statsOf(containerName));
  }
  const owners = new Map<string, Promise<Docker.ContainerInspectInfo | undefined>>();
  const runtimeOf = async (name: string): Promise<ContainerRuntime | undefined> => {
    const detail = task.containers.find((c) => c.name === name);
    if (!detail) return undefined;
    const id = source.containerId(name) ?? detail.runtimeId;
    const inspect = id ? await inspectOrUndefined(source.docker, id) : undefined;
    const mode = inspect?.HostConfig?.NetworkMode ?? '';
    let networkOwner: Docker.ContainerInspectInfo | undefined;
    if (mode.startsWith('container:')) {
      const ownerId = mode.slice('container:'.length);
      if (!owners.has(ownerId)) owners.set(ownerId, inspectOrUndefined(source.docker, ownerId));
      networkOwner = await owners.get(ownerId);
    }
    return { detail, ...(inspect ? { inspect } : {}), ...(networkOwner ? { networkOwner } : {}) };
  };
  if (wholeTask) {
    const all = await Promise.all(task.containers.map((c) => runtimeOf(c.name)));
    return json(
      200,
      buildTaskDocument(
        task,
        all.filter((r): r is ContainerRuntime => !!r),
      ),
    );
  }
  const rt = await runtimeOf(containerName);
  if (!rt) return NOT_FOUND;
  return json(200, buildContainerDocument(task, rt));
}

async function inspectOrUndefined(
  docker: Docker,
  id: string,
): Promise<Docker.ContainerInspectInfo | undefined> {
  try {
    return await docker.getContainer(id).inspect();
  } catch {
    return undefined;
  }
}
