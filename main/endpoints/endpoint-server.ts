/**
 * The HTTP side of the endpoints: routes `/v3|/v4/<id>[/task][/stats]` and `/v2/credentials/<id>`
 * to live documents. Ids are looked up on every request, so revoking one takes effect at once.
 * Credential values are written to the response only — never to a log or an error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Docker from 'dockerode';
import type { TaskDetail } from '../../contract/dto.js';
import type { CredentialSource } from '../aws/credential-source.js';
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
}

/** Id lookups the handler needs; undefined = unknown or revoked. */
export interface EndpointLookup {
  metadata(id: string): MetadataTarget | undefined;
  credentials(id: string): { readonly roleArn: string } | undefined;
}

/** Path the helper's readiness probe fetches through 169.254.170.2. */
export const PING_PATH = '/taskdeck-endpoints/ping';
export const PING_BODY = 'taskdeck-endpoints-ok';

/** Exact body of an unknown or revoked credentials id (semantics §9). */
export const CREDENTIALS_NOT_FOUND = JSON.stringify({
  code: 'InvalidIdInRequest',
  message: 'CredentialsV2Request: Credentials not found',
  HTTPErrorCode: 400,
});

/** Creates the request handler. */
export function createEndpointHandler(
  lookup: EndpointLookup,
  credentials: CredentialSource,
  log: (message: string) => void = () => {},
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(req, res, lookup, credentials).catch((err: unknown) => {
      log(`endpoint ${sanitizePath(req.url)} failed: ${(err as Error).message}`);
      if (!res.headersSent) send(res, 500, JSON.stringify({ message: 'internal error' }));
      else res.destroy();
    });
  };
}

/** The path with ids blanked out, for logs (ids are bearer secrets). */
function sanitizePath(url: string | undefined): string {
  return (url ?? '').replace(/^(\/v[234]\/(?:credentials\/)?)[^/?]+/, '$1<id>');
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    // The helper relays one connection per request; closing keeps its forks short-lived.
    Connection: 'close',
  });
  res.end(body);
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  lookup: EndpointLookup,
  credentials: CredentialSource,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://endpoint').pathname.replace(/\/+$/, '') || '/';
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, 405, JSON.stringify({ message: 'method not allowed' }));
    return;
  }
  if (path === PING_PATH) {
    send(res, 200, PING_BODY, 'text/plain');
    return;
  }
  const cred = /^\/v2\/credentials(?:\/([^/]*))?$/.exec(path);
  if (cred) {
    const target = cred[1] ? lookup.credentials(cred[1]) : undefined;
    if (!target) {
      send(res, 400, CREDENTIALS_NOT_FOUND);
      return;
    }
    let c;
    try {
      c = await credentials.get(target.roleArn);
    } catch (err) {
      const body = {
        code: 'InternalServerError',
        message: `CredentialsV2Request: unable to get credentials: ${(err as Error).message}`,
        HTTPErrorCode: 500,
      };
      send(res, 500, JSON.stringify(body));
      return;
    }
    // Token is always a string: the SDKs reject a credentials document without one.
    send(
      res,
      200,
      JSON.stringify({
        RoleArn: target.roleArn,
        AccessKeyId: c.AccessKeyId,
        SecretAccessKey: c.SecretAccessKey,
        Token: c.Token ?? '',
        Expiration: c.Expiration,
      }),
    );
    return;
  }
  const meta = /^\/v[34]\/([^/]+)(\/task)?(\/stats)?$/.exec(path);
  const target = meta?.[1] ? lookup.metadata(meta[1]) : undefined;
  if (!meta || !target) {
    send(res, 404, JSON.stringify({ message: 'not found' }));
    return;
  }
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
      send(res, 200, JSON.stringify(out));
    } else {
      send(res, 200, JSON.stringify(await statsOf(containerName)));
    }
    return;
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
    send(
      res,
      200,
      JSON.stringify(
        buildTaskDocument(
          task,
          all.filter((r): r is ContainerRuntime => !!r),
        ),
      ),
    );
    return;
  }
  const rt = await runtimeOf(containerName);
  if (!rt) {
    send(res, 404, JSON.stringify({ message: 'not found' }));
    return;
  }
  send(res, 200, JSON.stringify(buildContainerDocument(task, rt)));
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
