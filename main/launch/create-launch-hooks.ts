/**
 * Builds the engine's LaunchHooks from the real sources: secrets (local file, AWS when enabled),
 * environment files, registry credentials, and the task endpoints (metadata, credentials).
 * Shared by the CLI and the app's composition root.
 */
import type Docker from 'dockerode';
import type { AwsAccess } from '../aws/aws-access.js';
import type { CredentialSource } from '../aws/credential-source.js';
import { resolveEnvironmentFiles } from '../aws/environment-files.js';
import { registryAuthFor } from '../aws/registry-auth.js';
import { createSecretResolver } from '../aws/secrets.js';
import type { LaunchHooks, PreparedLaunch } from '../engine/launch-hooks.js';
import type { TaskEndpointIds, TaskEndpoints } from '../endpoints/task-endpoints.js';

export interface LaunchHookOptions {
  readonly docker: Docker;
  /** Default secrets file (a run may name its own). */
  readonly secretsFile?: string;
  readonly aws?: AwsAccess;
  readonly endpoints?: TaskEndpoints;
  /** For the inspector's credentials status (describe + expiry; values are never returned). */
  readonly credentialSource?: CredentialSource;
  /** Base folder for relative environmentFiles paths. */
  readonly baseDir?: string;
}

/** What a container sees at its endpoints, fetched the way the container would (for the inspector). */
export interface EndpointView {
  readonly metadataUri?: string;
  readonly root?: unknown;
  readonly task?: unknown;
  readonly stats?: unknown;
  readonly credentials?: {
    readonly roleArn: string;
    readonly relativeUri: string;
    readonly source: string;
    readonly profile?: string;
    readonly expiration?: string;
    readonly error?: string;
  };
  /** Why nothing is shown (e.g. a task re-adopted after a restart has no endpoint ids). */
  readonly unavailable?: string;
}

export interface InspectableLaunchHooks extends LaunchHooks {
  /** The documents `containerName` of `taskId` gets from its endpoints; never credential values. */
  endpointView(taskId: string, containerName: string, roleArn?: string): Promise<EndpointView>;
}

export function createLaunchHooks(options: LaunchHookOptions): InspectableLaunchHooks {
  const envByTask = new Map<string, (name: string) => Record<string, string>>();
  const resolverFor = (secretsFile: string | undefined) =>
    createSecretResolver({
      ...(secretsFile ? { secretsFile } : {}),
      ...(options.aws ? { aws: options.aws } : {}),
    });
  const defaultResolver = resolverFor(options.secretsFile);

  return {
    async prepare(task, detail, containerId, prepareOptions) {
      const resolver = task.secretsFile ? resolverFor(task.secretsFile) : defaultResolver;
      // Secrets and env files first: an unresolvable one fails the task before anything exists.
      const extra = new Map<string, Record<string, string>>();
      // A re-adopted task's containers exist already: their secrets were resolved at launch.
      for (const c of prepareOptions?.adopting ? [] : task.containers) {
        const env: Record<string, string> = {};
        if (c.def.environmentFiles.length) {
          Object.assign(
            env,
            await resolveEnvironmentFiles(c.def.environmentFiles, {
              ...(options.aws ? { aws: options.aws } : {}),
              ...(options.baseDir ? { baseDir: options.baseDir } : {}),
            }),
          );
        }
        if (c.def.secrets.length) {
          const values = await resolver.resolve(c.def.secrets);
          for (const [k, v] of Object.entries(values)) env[`secret:${k}`] = v;
        }
        extra.set(c.name, env);
      }
      const endpoints = options.endpoints
        ? await options.endpoints.prepareTask({
            taskId: task.taskId,
            taskArn: task.taskArn,
            family: task.definition.family,
            revision: task.definition.revision,
            networkMode: task.definition.networkMode,
            ...(task.definition.taskRoleArn ? { taskRoleArn: task.definition.taskRoleArn } : {}),
            containerNames: task.containers.map((c) => c.name),
            source: {
              task: detail,
              containerId,
              docker: options.docker,
              ...(prepareOptions?.stats ? { stats: prepareOptions.stats } : {}),
            },
            ...(task.endpointState ? { restoreIds: task.endpointState as TaskEndpointIds } : {}),
          })
        : undefined;
      if (endpoints) envByTask.set(task.taskId, (name) => endpoints.env(name));
      const prepared: PreparedLaunch = {
        env: (name) => endpoints?.env(name) ?? {},
        extraEnv: (name) => extra.get(name) ?? {},
        extraHosts: endpoints?.extraHosts ?? [],
        ...(endpoints ? { endpointState: endpoints.ids } : {}),
        attach: async (id) => {
          await endpoints?.attach(id);
        },
        dispose: async () => {
          envByTask.delete(task.taskId);
          await endpoints?.dispose();
        },
      };
      return prepared;
    },
    async registryAuth(container, task) {
      const resolver = task.secretsFile ? resolverFor(task.secretsFile) : defaultResolver;
      return registryAuthFor(container.image, container.repositoryCredentials, resolver, options.aws);
    },
    async close() {
      await options.endpoints?.close();
    },
    async endpointView(taskId, containerName, roleArn) {
      const env = envByTask.get(taskId)?.(containerName);
      const ep = options.endpoints;
      if (!env || !ep) {
        return {
          unavailable: 'This task has no live endpoints (it stopped, or was re-adopted after a restart).',
        };
      }
      const uri = env.ECS_CONTAINER_METADATA_URI_V4 ?? '';
      // The same server the container talks to, reached from this machine on loopback.
      const local = `http://127.0.0.1:${ep.port}${new URL(uri).pathname}`;
      const get = async (path: string) => {
        const res = await fetch(`${local}${path}`);
        return res.ok ? ((await res.json()) as unknown) : { status: res.status };
      };
      const [root, task, stats] = await Promise.all([get(''), get('/task'), get('/stats')]);
      const rel = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ?? env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
      let credentials: EndpointView['credentials'];
      if (rel && roleArn) {
        const who = options.credentialSource?.describe() ?? { source: 'local AWS credential chain' };
        let expiration: string | undefined;
        let error: string | undefined;
        try {
          expiration = (await options.credentialSource!.get(roleArn)).Expiration;
        } catch (err) {
          error = (err as Error).message;
        }
        credentials = {
          roleArn,
          relativeUri: rel.replace(/\/v2\/credentials\/.*/, '/v2/credentials/…'),
          source: who.source,
          ...(who.profile ? { profile: who.profile } : {}),
          ...(expiration ? { expiration } : {}),
          ...(error ? { error } : {}),
        };
      }
      return { metadataUri: uri, root, task, stats, ...(credentials ? { credentials } : {}) };
    },
  };
}
