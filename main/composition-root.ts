/**
 * Builds the application services once and hands transports (Electron IPC, web mode) what they
 * need: the operation handlers and the push bus. Starts even when Docker is unreachable; the
 * Docker session then reports the problem on `docker:status` and reconnects on Retry or when the
 * endpoint/context settings change.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from './docker/docker-client.js';
import type { AppInfo } from '../contract/dto.js';
import type { ApiHandlers } from '../contract/operations.js';
import { resolveDockerConnection } from './docker/connection.js';
import { connectDocker } from './docker/connect.js';
import { createEngineRuntime, type EngineRuntime } from './launch/create-engine-runtime.js';
import { resolveIdentity } from './aws/local-identity.js';
import type { TaskEngineApi } from './engine/engine-api.js';
import { parseTaskDefinition } from './task-definition/parse-task-definition.js';
import { createExecSessions } from './exec/exec-sessions.js';
import { createApiHandlers } from './services/api-handlers.js';
import { resolveBootDataDir, normaliseDir } from './services/data-dir.js';
import { createDefinitionsLibrary, type ParseDefinition } from './services/definitions-library.js';
import { createDockerSession, type DockerConnected, type DockerSession } from './services/docker-session.js';
import { createLaunchRecords } from './services/launch-records.js';
import { createRecoveryService } from './services/recovery-service.js';
import { createSettingsStore } from './services/settings-store.js';
import { secretSourceFromSettings } from './services/secret-source.js';
import { securePrivateTree } from './store/private-files.js';
import { createTopicBus, type TopicBus } from './services/topic-bus.js';
import { createServiceRuntime, type ServiceRuntimeDeps } from './services/service-runtime.js';
import { ecsServiceFactories } from './services/ecs-service-factories.js';
import { DEFAULT_ARN_CONTEXT } from './engine/arns.js';
import { DEFAULT_LOG_CAP_MB, type Settings } from '../contract/dto.js';
import { ApiFailure } from '../contract/errors.js';

/** What a transport needs. */
export interface AppRuntime {
  readonly handlers: ApiHandlers;
  readonly bus: TopicBus;
  readonly docker: DockerSession;
  readonly dataDir: string;
  /** Closes the engine (running tasks keep running and are re-adopted next start). */
  close(): Promise<void>;
}

/** How the app is being started. */
export interface CompositionOptions {
  readonly mode: AppInfo['mode'];
  /** `--data-dir`; else TASKDECK_DATA_DIR; else ~/.taskdeck. */
  readonly dataDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Seams for tests; default to the real parser / Docker / engine. */
  readonly parse?: ParseDefinition;
  readonly connect?: (settings: Settings) => Promise<DockerConnected<Docker>>;
  readonly createEngine?: (docker: Docker, settings: Settings, dataDir: string) => Promise<TaskEngineApi>;
  /** Start-up notices (data dir permissions tightened); default stderr. */
  readonly notice?: (message: string) => void;
  /** `--region` / `--account`: win over Settings and the local AWS configuration. */
  readonly region?: string;
  readonly account?: string;
  /** Seam for tests: how the local region/account are found (default: AWS config + STS, bounded). */
  readonly localIdentity?: (profile: string | undefined) => Promise<{ region: string; account: string }>;
  /** ECS services (issue 13): load balancer, manager and parsers; default the real ones, null → none. */
  readonly serviceFactories?: Pick<
    ServiceRuntimeDeps,
    'createLoadBalancer' | 'createManager' | 'parsers'
  > | null;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Connects with the Docker CLI's precedence; Settings' endpoint or context beats the environment. */
export function connectWithSettings(env: NodeJS.ProcessEnv) {
  return async (settings: Settings): Promise<DockerConnected<Docker>> => {
    const override =
      settings.dockerEndpoint ?? (settings.dockerContext ? `context:${settings.dockerContext}` : undefined);
    const resolved = resolveDockerConnection(env, override !== undefined ? { override } : {});
    const { docker, info } = await connectDocker(resolved);
    return {
      docker,
      endpoint: resolved.endpoint,
      source: resolved.contextName ? `${resolved.source} (${resolved.contextName})` : resolved.source,
      serverVersion: info.serverVersion,
      apiVersion: info.apiVersion,
    };
  };
}

/** Builds services, starts the first Docker connection attempt (not awaited), returns the runtime. */
export async function createAppRuntime(options: CompositionOptions): Promise<AppRuntime> {
  const env = options.env ?? process.env;
  const boot = resolveBootDataDir(env, options.dataDir);
  const notice = options.notice ?? ((m: string) => process.stderr.write(`taskdeck: notice: ${m}\n`));
  // Before anything is read or written: the data is the user's alone (0700 folders, 0600 files).
  const bootLoose = await securePrivateTree(boot.dir);
  if (bootLoose) notice(bootLoose);
  const settings = await createSettingsStore(boot.dir);
  // An explicit --data-dir / TASKDECK_DATA_DIR wins over the stored setting.
  const dataDir = boot.explicit ? boot.dir : normaliseDir(settings.get().dataDir);
  if (dataDir !== boot.dir) {
    const loose = await securePrivateTree(dataDir);
    if (loose) notice(loose);
  }
  const library = await createDefinitionsLibrary(
    join(dataDir, 'definitions'),
    options.parse ?? parseTaskDefinition,
  );
  const launches = await createLaunchRecords(dataDir);
  const bus = createTopicBus();
  const version = packageVersion();

  // The developer's own region/account, looked up once in the background (bounded by a short
  // timeout; offline falls back without an error). Flags, then Settings, win over it.
  const lookUpIdentity =
    options.localIdentity ??
    ((profile: string | undefined) => resolveIdentity({}, profile ? { profile } : {}));
  let localIdentity: { region: string; account: string } | undefined;
  const identityReady = lookUpIdentity(settings.get().awsProfile).then(
    (v) => {
      localIdentity = v;
    },
    () => undefined,
  );
  const identity = () => ({
    region: options.region ?? settings.get().region ?? localIdentity?.region,
    account: options.account ?? settings.get().account ?? localIdentity?.account,
  });

  let unwire: (() => void)[] = [];
  // The inspector's view of a container's endpoints; belongs to the runtime of the current engine.
  let endpointView: EngineRuntime['endpointView'] | undefined;
  const createEngine =
    options.createEngine ??
    (async (docker: Docker, s: Settings, dir: string) => {
      await identityReady;
      const runtime = await createEngineRuntime({
        identity,
        docker,
        dataDir: dir,
        defaultPullBehavior: s.defaultPullBehavior,
        // Read at every append: a changed cap applies without reconnecting.
        logCapBytes: () => (settings.get().logCapMB ?? DEFAULT_LOG_CAP_MB) * 1024 * 1024,
        ...(s.awsProfile ? { credentialsProfile: s.awsProfile } : {}),
        // Settings' secrets file / AWS secrets, as they are at each launch.
        secretSource: () => secretSourceFromSettings(settings.get()),
        notice,
        owner: { kind: options.mode === 'web' ? 'web' : 'app' },
      });
      endpointView = runtime.endpointView;
      return runtime.engine;
    });

  // ECS services: a load balancer and a service manager on each engine (closed with it).
  const serviceFactories =
    options.serviceFactories === undefined ? ecsServiceFactories(library) : options.serviceFactories;
  const serviceRuntime = serviceFactories
    ? createServiceRuntime({
        ...serviceFactories,
        dataDir,
        identity: () => ({
          region: identity().region ?? DEFAULT_ARN_CONTEXT.region,
          account: identity().account ?? DEFAULT_ARN_CONTEXT.account,
        }),
        onChanged: (service) => bus.publish('services:changed', service),
      })
    : undefined;

  // The Docker client the current engine runs on: exec sessions talk to the same daemon.
  let dockerClient: Docker | undefined;
  const exec = createExecSessions({
    docker: () => {
      if (!dockerClient) throw new ApiFailure('DOCKER_UNAVAILABLE', 'Docker is not connected');
      return dockerClient;
    },
  });

  const docker = createDockerSession<Docker>({
    connect: options.connect ?? connectWithSettings(env),
    createEngine: async (client, s) => {
      const engine = await createEngine(client, s, dataDir);
      dockerClient = client;
      // Services re-adopt their tasks on this engine; tasks work on even if services cannot start.
      await serviceRuntime
        ?.attach(engine)
        .catch((err: unknown) => console.error('[taskdeck] ECS services could not start:', err));
      return engine;
    },
    settings: () => settings.get(),
    onStatus: (status) => bus.publish('docker:status', status),
    onEngine(engine) {
      for (const off of unwire) off();
      unwire = [];
      if (!engine) {
        endpointView = undefined;
        dockerClient = undefined;
        exec.closeAll('Docker disconnected');
        serviceRuntime?.detach().catch(() => undefined);
        return;
      }
      unwire = [
        engine.on('event', (event, task) => bus.publish('tasks:changed', { event, task })),
        engine.on('logs', (lines) => bus.queueLogs(lines)),
        engine.on('probes', (taskId, container, probes) =>
          bus.publish('health:probes', { taskId, container, probes }),
        ),
        engine.on('pull', (progress) => bus.queuePull(progress)),
        engine.on('stats', (taskId, container, sample) => bus.queueStats(taskId, container, sample)),
      ];
    },
  });

  const handlers = createApiHandlers({
    recovery: createRecoveryService(() => dockerClient),
    library,
    settings,
    launches,
    docker,
    exec,
    ...(serviceRuntime ? { services: serviceRuntime.backend } : {}),
    endpointView: async (taskId, containerName) => {
      if (!endpointView) return { unavailable: 'Docker is not connected, so no endpoints are running.' };
      return endpointView(taskId, containerName);
    },
    info: () => ({
      version,
      mode: options.mode,
      dataDir,
      restartRequired: !boot.explicit && normaliseDir(settings.get().dataDir) !== dataDir,
    }),
  });

  docker.retry().catch((err: unknown) => console.error('[taskdeck] connecting to Docker failed:', err));

  return {
    handlers,
    bus,
    docker,
    dataDir,
    async close() {
      exec.closeAll('Taskdeck is shutting down');
      bus.flush();
      await docker.close();
      await serviceRuntime?.detach();
    },
  };
}
