/**
 * One place that assembles a working engine: endpoints server (metadata + credentials), launch
 * hooks (secrets, env files, registry auth) and the task engine. Used by the CLI, web mode and the
 * Electron composition root, so all three behave the same.
 */
import { join } from 'node:path';
import type Docker from '../docker/docker-client.js';
import type { PullBehavior } from '../../contract/dto.js';
import type { AwsAccess } from '../aws/aws-access.js';
import { createCredentialSource } from '../aws/credential-source.js';
import type { TaskEngineApi } from '../engine/engine-api.js';
import { currentProcess, ownerLabels, type OwnerKind } from '../engine/owner.js';
import { createTaskEngine } from '../engine/task-engine.js';
import { onDataDir } from '../store/data-dir-error.js';
import { writeDataDirOwner } from '../store/data-dir-owner.js';
import { createTaskEndpoints, type TaskEndpoints } from '../endpoints/task-endpoints.js';
import { loadOrCreateSecret, securePrivateTree } from '../store/private-files.js';
import { createLaunchHooks, type EndpointView, type SecretSourceSettings } from './create-launch-hooks.js';
import { createHelperImage } from './helper-image.js';

/**
 * The configured image with BusyBox for awsvpc pause containers and 169.254.170.2 helpers;
 * undefined means Taskdeck's own (helper-image.ts), built offline when it can be.
 */
export function defaultHelperImage(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.TASKDECK_HELPER_IMAGE || undefined;
}

export interface EngineRuntimeOptions {
  readonly docker: Docker;
  readonly dataDir: string;
  readonly cluster?: string;
  readonly region?: string;
  readonly account?: string;
  /** Region/account read at every RunTask (live settings); see TaskEngineOptions.identity. */
  readonly identity?: () => { readonly region?: string | undefined; readonly account?: string | undefined };
  readonly defaultPullBehavior?: PullBehavior;
  readonly helperImage?: string;
  /** How helper containers reach this machine: `host-gateway` (Linux), `host.docker.internal` (Docker Desktop) or an IP. */
  readonly endpointHostAddress?: string;
  readonly secretsFile?: string;
  /** Secrets source read at every launch (the app's Settings); see LaunchHookOptions.secretSource. */
  readonly secretSource?: () => SecretSourceSettings;
  /** Real AWS for secrets/S3/ECR (off unless enabled). */
  readonly aws?: AwsAccess;
  /** Local chain profile for task-role credentials (assumed with STS unless a task passes the user's own). */
  readonly credentialsProfile?: string;
  /** STS endpoint override (default: the SDK's, e.g. AWS_ENDPOINT_URL_STS). */
  readonly stsEndpoint?: string;
  /** Refresh task credentials this long before they expire (default 5 minutes). */
  readonly credentialsRefreshMarginMs?: number;
  /** Where start-up notices go (data dir permissions tightened); default stderr. */
  readonly notice?: (message: string) => void;
  /** Folder for environmentFiles of tasks that name no scope of their own (nothing outside it is read). */
  readonly baseDir?: string;
  readonly log?: (message: string) => void;
  /** Log kept on disk per container (bytes, or read at every append). */
  readonly logCapBytes?: number | (() => number);
  /**
   * Who runs this engine (default an app). `run` does not re-adopt the data dir's tasks; an app or
   * `web` does, and says so in `<dataDir>/owner.json` (orphans.ts). `tempDataDir`: the data dir is
   * a `run` temp folder, removed by `taskdeck gc` once this process is gone.
   */
  readonly owner?: { readonly kind: OwnerKind; readonly tempDataDir?: boolean };
}

export interface EngineRuntime {
  readonly engine: TaskEngineApi;
  readonly endpoints: TaskEndpoints;
  /** What a container sees at its metadata/credentials endpoints (inspector view). */
  endpointView(taskId: string, containerName: string): Promise<EndpointView>;
  /** Closes the engine (tasks keep running) and the endpoints server. */
  close(): Promise<void>;
}

export async function createEngineRuntime(o: EngineRuntimeOptions): Promise<EngineRuntime> {
  const configured = o.helperImage ?? defaultHelperImage();
  const helper = createHelperImage({ docker: o.docker, ...(configured ? { image: configured } : {}) });
  const helperImage = helper.name;
  const notice = o.notice ?? ((m: string) => process.stderr.write(`taskdeck: notice: ${m}\n`));
  const loose = await onDataDir(o.dataDir, () => securePrivateTree(o.dataDir));
  if (loose) notice(loose);
  const kind = o.owner?.kind ?? 'app';
  const me = currentProcess();
  const labels = ownerLabels(me, kind, o.dataDir, o.owner?.tempDataDir ?? false);
  if (kind !== 'run' || o.owner?.tempDataDir)
    await onDataDir(o.dataDir, () => writeDataDirOwner(o.dataDir, { ...me, kind, adopts: kind !== 'run' }));
  const credentials = createCredentialSource({
    ...(o.credentialsProfile ? { profile: o.credentialsProfile } : {}),
    ...(o.region ? { region: o.region } : {}),
    ...(o.stsEndpoint ? { stsEndpoint: o.stsEndpoint } : {}),
    ...(o.credentialsRefreshMarginMs !== undefined ? { refreshMarginMs: o.credentialsRefreshMarginMs } : {}),
  });
  const endpoints = await createTaskEndpoints({
    docker: o.docker,
    // Ids are derived from this key, so no record ever holds one (see endpoint-ids.ts).
    idKey: await onDataDir(o.dataDir, () => loadOrCreateSecret(join(o.dataDir, 'endpoint-key'))),
    helperImage,
    ...(o.endpointHostAddress ? { hostAddress: o.endpointHostAddress } : {}),
    ...(o.log ? { log: o.log } : {}),
    labels,
  });
  const hooks = createLaunchHooks({
    docker: o.docker,
    endpoints,
    credentialSource: credentials,
    helperImage: helper,
    ...(o.secretsFile ? { secretsFile: o.secretsFile } : {}),
    ...(o.secretSource ? { secretSource: o.secretSource } : {}),
    ...(o.aws ? { aws: o.aws } : {}),
    ...(o.baseDir ? { baseDir: o.baseDir } : {}),
  });
  const engine = await createTaskEngine({
    docker: o.docker,
    dataDir: o.dataDir,
    pauseImage: helperImage,
    hooks,
    ownerLabels: labels,
    adopt: kind !== 'run',
    ...(o.cluster ? { cluster: o.cluster } : {}),
    ...(o.region ? { region: o.region } : {}),
    ...(o.account ? { account: o.account } : {}),
    ...(o.identity ? { identity: o.identity } : {}),
    ...(o.defaultPullBehavior ? { defaultPullBehavior: o.defaultPullBehavior } : {}),
    ...(o.logCapBytes !== undefined ? { logCapBytes: o.logCapBytes } : {}),
  });
  return {
    engine,
    endpoints,
    endpointView: (taskId, containerName) =>
      hooks.endpointView(
        taskId,
        containerName,
        engine.describeTask(taskId) ? roleOf(engine, taskId) : undefined,
      ),
    async close() {
      await engine.close(); // closes the hooks, hence the endpoints
    },
  };
}

function roleOf(engine: TaskEngineApi, taskId: string): string | undefined {
  return engine.taskDefinitionOf(taskId)?.taskRoleArn;
}
