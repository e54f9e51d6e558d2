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
import {
  credentialsUninitialized,
  invalidIdInRequest,
  metadataNotFoundBody,
  noIdInRequest,
} from './agent-errors.js';
import {
  buildContainerDocument,
  buildTaskDocument,
  type ContainerRuntime,
  type MetadataExtras,
} from './metadata-documents.js';
import { taskProtectionResponse } from './task-protection.js';

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
  /** What the definition says that the record does not (log configuration, limits, tags, pause id). */
  extras?(): MetadataExtras;
}

/** What a metadata id points at. */
export interface MetadataTarget {
  readonly source: TaskEndpointsSource;
  readonly containerName: string;
  /** The task has a task role (the agent API's task protection needs its credentials). */
  readonly hasTaskRole?: boolean;
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
  /** True while the first credentials are still being fetched (→ 503 CredentialsUninitialized). */
  pending?(): boolean;
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
    readBody(req)
      .then((body) => respond(lookup, req.method ?? 'GET', req.url ?? '/', pathOf(req), body))
      .then(
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
  return (url ?? '')
    .replace(/^(\/(?:v[234]|api)\/(?:credentials\/)?)[^/?]+/, '$1<id>')
    .replace(/([?&]id=)[^&]*/, '$1<id>');
}

/** Largest request body read (task protection's JSON is tiny). */
const MAX_BODY_BYTES = 64 * 1024;

/** The request body as text (PUT only; empty otherwise); too large a body is cut off. */
function readBody(req: IncomingMessage): Promise<string> {
  if (req.method !== 'PUT' && req.method !== 'POST') {
    req.resume();
    return Promise.resolve('');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
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

function agentError(e: { status: number; body: string }): EndpointResponse {
  return json(e.status, e.body);
}

/**
 * The answer to `method url` arriving by `path` (undefined: by no task's path). Exported for the
 * inspector, which asks in-process on the task's behalf.
 */
export async function respond(
  lookup: EndpointLookup,
  method: string,
  url: string,
  path: string | undefined,
  body = '',
): Promise<EndpointResponse> {
  const parsed = new URL(url, 'http://endpoint');
  const route = parsed.pathname.replace(/\/+$/, '') || '/';
  const protection = /^\/api\/([^/]+)\/task-protection\/v1\/state$/.exec(route);
  if (protection) {
    const target = lookup.metadata(protection[1] ?? '');
    const own = target && path !== undefined && target.path === path ? target : undefined;
    const r = taskProtectionResponse(
      method,
      body,
      own ? { taskArn: own.source.task().taskArn, hasTaskRole: own.hasTaskRole === true } : undefined,
    );
    return json(r.status, r.body);
  }
  if (method !== 'GET' && method !== 'HEAD') return json(405, { message: 'method not allowed' });
  if (route === PING_PATH) return { status: 200, body: PING_BODY, type: 'text/plain' };
  // v2: /v2/credentials/<id>; v1: /v1/credentials?id=<id> (both served by the agent).
  const cred = /^\/v([12])\/credentials(?:\/([^/]*))?$/.exec(route);
  if (cred) {
    const version = cred[1] === '1' ? 1 : 2;
    const id = version === 1 ? (parsed.searchParams.get('id') ?? '') : (cred[2] ?? '');
    if (version === 1 && cred[2]) return json(404, { message: 'not found' });
    if (!id) return agentError(noIdInRequest(version));
    const target = lookup.credentials(id);
    if (!target || path === undefined || target.path !== path) return agentError(invalidIdInRequest(version));
    if (target.pending?.()) return agentError(credentialsUninitialized(version));
    let c;
    try {
      c = await target.credentials();
    } catch (err) {
      return json(500, {
        code: 'InternalServerError',
        message: `CredentialsV${version}Request: unable to get credentials: ${(err as Error).message}`,
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
  const meta = /^\/v([34])\/([^/]+)(\/task|\/taskWithTags)?(\/stats)?$/.exec(route);
  if (!meta) return NOT_FOUND;
  const version = meta[1] === '3' ? 3 : 4;
  const id = meta[2] ?? '';
  const taskRoute = meta[3];
  const stats = meta[4] !== undefined;
  if (stats && taskRoute === '/taskWithTags') return NOT_FOUND;
  const found = lookup.metadata(id);
  const target = found && path !== undefined && found.path === path ? found : undefined;
  if (!target) {
    // The agent's 404: a JSON string naming the handler and the id it could not resolve.
    const kind = taskRoute ? (stats ? 'task-stats' : 'task') : stats ? 'container-stats' : 'container';
    return json(404, metadataNotFoundBody(version, kind, id));
  }
  const wholeTask = taskRoute !== undefined;
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
          const cid = source.containerId(c.name);
          if (cid) out[cid] = await statsOf(c.name);
        }),
      );
      return json(200, out);
    }
    return json(200, await statsOf(containerName));
  }
  const extras = source.extras?.();
  const inspections = new Map<string, Promise<Docker.ContainerInspectInfo | undefined>>();
  const inspectOnce = (cid: string) => {
    if (!inspections.has(cid)) inspections.set(cid, inspectOrUndefined(source.docker, cid));
    return inspections.get(cid)!;
  };
  const runtimeOf = async (name: string): Promise<ContainerRuntime | undefined> => {
    const detail = task.containers.find((c) => c.name === name);
    if (!detail) return undefined;
    const cid = source.containerId(name) ?? detail.runtimeId;
    const inspect = cid ? await inspectOnce(cid) : undefined;
    const mode = inspect?.HostConfig?.NetworkMode ?? '';
    const networkOwner = mode.startsWith('container:')
      ? await inspectOnce(mode.slice('container:'.length))
      : undefined;
    const containerExtras = extras?.containers[name];
    return {
      detail,
      ...(inspect ? { inspect } : {}),
      ...(networkOwner ? { networkOwner } : {}),
      ...(containerExtras ? { extras: containerExtras } : {}),
    };
  };
  if (wholeTask) {
    const all = await Promise.all(task.containers.map((c) => runtimeOf(c.name)));
    const pause = extras?.pauseContainerId ? await inspectOnce(extras.pauseContainerId) : undefined;
    return json(
      200,
      buildTaskDocument(
        task,
        all.filter((r): r is ContainerRuntime => !!r),
        {
          withTags: taskRoute === '/taskWithTags',
          ...(extras ? { tags: extras.tags } : {}),
          ...(pause ? { pause } : {}),
        },
      ),
    );
  }
  const rt = await runtimeOf(containerName);
  if (!rt) return json(404, metadataNotFoundBody(version, 'container', id));
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
