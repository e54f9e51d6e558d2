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
import { createTaskEngine } from '../engine/task-engine.js';
import { createTaskEndpoints, type TaskEndpoints } from '../endpoints/task-endpoints.js';
import { loadOrCreateSecret, securePrivateTree } from '../store/private-files.js';
import { createLaunchHooks, type EndpointView } from './create-launch-hooks.js';

/** Image with BusyBox used for awsvpc pause containers and 169.254.170.2 helpers. */
export function defaultHelperImage(env: NodeJS.ProcessEnv = process.env): string {
  return env.TASKDECK_HELPER_IMAGE || 'busybox:stable';
}

export interface EngineRuntimeOptions {
  readonly docker: Docker;
  readonly dataDir: string;
  readonly cluster?: string;
  readonly region?: string;
  readonly account?: string;
  readonly defaultPullBehavior?: PullBehavior;
  readonly helperImage?: string;
  /** How helper containers reach this machine: `host-gateway` (Linux), `host.docker.internal` (Docker Desktop) or an IP. */
  readonly endpointHostAddress?: string;
  readonly secretsFile?: string;
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
  const helperImage = o.helperImage ?? defaultHelperImage();
  const notice = o.notice ?? ((m: string) => process.stderr.write(`taskdeck: notice: ${m}\n`));
  const loose = await securePrivateTree(o.dataDir);
  if (loose) notice(loose);
  const credentials = createCredentialSource({
    ...(o.credentialsProfile ? { profile: o.credentialsProfile } : {}),
    ...(o.region ? { region: o.region } : {}),
    ...(o.stsEndpoint ? { stsEndpoint: o.stsEndpoint } : {}),
    ...(o.credentialsRefreshMarginMs !== undefined ? { refreshMarginMs: o.credentialsRefreshMarginMs } : {}),
  });
  const endpoints = await createTaskEndpoints({
    docker: o.docker,
    // Ids are derived from this key, so no record ever holds one (see endpoint-ids.ts).
    idKey: await loadOrCreateSecret(join(o.dataDir, 'endpoint-key')),
    helperImage,
    ...(o.endpointHostAddress ? { hostAddress: o.endpointHostAddress } : {}),
    ...(o.log ? { log: o.log } : {}),
  });
  const hooks = createLaunchHooks({
    docker: o.docker,
    endpoints,
    credentialSource: credentials,
    ...(o.secretsFile ? { secretsFile: o.secretsFile } : {}),
    ...(o.aws ? { aws: o.aws } : {}),
    ...(o.baseDir ? { baseDir: o.baseDir } : {}),
  });
  const engine = await createTaskEngine({
    docker: o.docker,
    dataDir: o.dataDir,
    pauseImage: helperImage,
    hooks,
    ...(o.cluster ? { cluster: o.cluster } : {}),
    ...(o.region ? { region: o.region } : {}),
    ...(o.account ? { account: o.account } : {}),
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
