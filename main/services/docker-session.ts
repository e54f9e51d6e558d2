/**
 * Owns the Docker connection and the engine built on it. The app starts without Docker: the session
 * then reports `connected: false` with the error and a hint, and `retry()` (user "Retry", or a
 * settings change) tries again. Attempts are serialised: only one connect runs at a time.
 */
import { DataDirError } from '../store/data-dir-error.js';
import type { DockerConnectionStatus, Settings } from '../../contract/dto.js';
import { ApiFailure } from '../../contract/errors.js';
import type { TaskEngineApi } from '../engine/engine-api.js';
import { unreachableLine, type DockerReachabilityState } from '../docker/docker-reachability.js';
import type { StorageHealthState } from '../store/storage-health.js';

/** A live connection as the session needs it. */
export interface DockerConnected<D> {
  readonly docker: D;
  readonly endpoint: string;
  readonly source: string;
  readonly serverVersion?: string;
  readonly apiVersion?: string;
}

/** How the session reaches Docker and builds an engine (injected: real in the app, fakes in tests). */
export interface DockerSessionDeps<D> {
  connect(settings: Settings): Promise<DockerConnected<D>>;
  createEngine(docker: D, settings: Settings): Promise<TaskEngineApi>;
  settings(): Settings;
  /** Called for every status change. */
  onStatus(status: DockerConnectionStatus): void;
  /** Called when a new engine is ready (wire its events) and when it goes away (`undefined`). */
  onEngine(engine: TaskEngineApi | undefined): void;
  now?: () => Date;
}

/** The connection + engine lifecycle. */
export interface DockerSession {
  status(): DockerConnectionStatus;
  /** The engine, or DOCKER_UNAVAILABLE. */
  engine(): TaskEngineApi;
  /** The engine if connected. */
  maybeEngine(): TaskEngineApi | undefined;
  /** (Re)connects: closes the current engine first. Resolves with the resulting status. */
  retry(): Promise<DockerConnectionStatus>;
  close(): Promise<void>;
}

/** An error's hint, when it carries one (DockerConnectionError does). */
function hintOf(err: unknown): string | undefined {
  const hint = (err as { hint?: unknown } | null)?.hint;
  return typeof hint === 'string' ? hint : undefined;
}

function endpointOf(err: unknown): string | undefined {
  const endpoint = (err as { endpoint?: unknown } | null)?.endpoint;
  return typeof endpoint === 'string' ? endpoint : undefined;
}

const OUTAGE_HINT =
  'Taskdeck reconnects on its own and resyncs every task when Docker is back; new tasks are refused until then.';

/**
 * The status of a connected session, given what its engine reports: Docker unreachable since a
 * time (not connected, retrying by itself) and/or task history not being saved.
 */
export function liveStatus(
  base: DockerConnectionStatus,
  docker: DockerReachabilityState,
  storage: StorageHealthState,
): DockerConnectionStatus {
  const withStorage: DockerConnectionStatus = storage.ok
    ? base
    : { ...base, storageError: storage.message, storageErrorSince: storage.since };
  if (docker.reachable) return withStorage;
  return {
    ...withStorage,
    connected: false,
    unreachableSince: docker.since,
    error: `${unreachableLine(docker.since)} (${docker.error})`,
    hint: OUTAGE_HINT,
  };
}

const DEFAULT_HINT =
  'Start Docker (Docker Desktop, or `sudo systemctl start docker`), check DOCKER_HOST or the endpoint in Settings, then press Retry.';

/** Creates a session; call `retry()` once to connect for the first time. */
export function createDockerSession<D>(deps: DockerSessionDeps<D>): DockerSession {
  const now = deps.now ?? (() => new Date());
  let status: DockerConnectionStatus = { connected: false, connecting: true, endpoint: '', source: '' };
  let engine: TaskEngineApi | undefined;
  let unwatch: (() => void)[] = [];
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const setStatus = (next: DockerConnectionStatus): void => {
    status = { ...next, checkedAt: now().toISOString() };
    deps.onStatus(status);
  };

  const dropEngine = async (): Promise<void> => {
    const current = engine;
    engine = undefined;
    for (const off of unwatch) off();
    unwatch = [];
    if (!current) return;
    deps.onEngine(undefined);
    await current.close().catch((err: unknown) => console.error('[taskdeck] engine close failed:', err));
  };

  const attempt = async (): Promise<DockerConnectionStatus> => {
    await dropEngine();
    if (closed) return status;
    setStatus({ connected: false, connecting: true, endpoint: status.endpoint, source: status.source });
    const settings = deps.settings();
    let conn: DockerConnected<D>;
    try {
      conn = await deps.connect(settings);
    } catch (err) {
      setStatus({
        connected: false,
        endpoint: endpointOf(err) ?? status.endpoint,
        source: status.source,
        error: (err as Error).message,
        hint: hintOf(err) ?? DEFAULT_HINT,
      });
      return status;
    }
    const base = {
      endpoint: conn.endpoint,
      source: conn.source,
      ...(conn.serverVersion !== undefined ? { serverVersion: conn.serverVersion } : {}),
      ...(conn.apiVersion !== undefined ? { apiVersion: conn.apiVersion } : {}),
    };
    try {
      engine = await deps.createEngine(conn.docker, settings);
    } catch (err) {
      // A data dir problem is not a Docker problem: say which folder, and what to do about it.
      const dataDir = err instanceof DataDirError;
      setStatus({
        ...base,
        connected: false,
        error: dataDir
          ? `The task engine could not start: ${err.message}`
          : `Docker answered, but the task engine failed to start: ${(err as Error).message}`,
        hint: dataDir
          ? 'Fix the folder (permissions, free space) or choose another data dir in Settings, then press Retry.'
          : 'See the terminal output for details, then press Retry.',
      });
      return status;
    }
    if (closed) {
      await dropEngine();
      return status;
    }
    deps.onEngine(engine);
    const connected: DockerConnectionStatus = { ...base, connected: true };
    let reach: DockerReachabilityState = engine.dockerReachability?.() ?? { reachable: true };
    let storage: StorageHealthState = engine.storageHealth?.() ?? { ok: true };
    const update = (): void => setStatus(liveStatus(connected, reach, storage));
    unwatch = [
      engine.on('docker', (next) => {
        reach = next;
        update();
      }),
      engine.on('storage', (next) => {
        storage = next;
        update();
      }),
    ];
    update();
    return status;
  };

  return {
    status: () => status,
    maybeEngine: () => engine,
    engine() {
      if (engine) return engine;
      const why = status.connecting ? 'still connecting' : (status.error ?? 'not connected');
      throw new ApiFailure('DOCKER_UNAVAILABLE', `Docker is not available: ${why}`);
    },
    retry() {
      const next = queue.then(attempt, attempt);
      queue = next.catch(() => undefined);
      return next;
    },
    async close() {
      closed = true;
      await queue.catch(() => undefined);
      await dropEngine();
    },
  };
}
