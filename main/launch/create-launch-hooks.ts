/**
 * Builds the engine's LaunchHooks from the real sources: secrets (local file, AWS when enabled),
 * environment files, registry credentials, and the task endpoints (metadata, credentials).
 * Shared by the CLI and the app's composition root.
 */
import type Docker from 'dockerode';
import type { AwsAccess } from '../aws/aws-access.js';
import { resolveEnvironmentFiles } from '../aws/environment-files.js';
import { registryAuthFor } from '../aws/registry-auth.js';
import { createSecretResolver } from '../aws/secrets.js';
import type { LaunchHooks, PreparedLaunch } from '../engine/launch-hooks.js';
import type { TaskEndpoints } from '../endpoints/task-endpoints.js';

export interface LaunchHookOptions {
  readonly docker: Docker;
  /** Default secrets file (a run may name its own). */
  readonly secretsFile?: string;
  readonly aws?: AwsAccess;
  readonly endpoints?: TaskEndpoints;
  /** Base folder for relative environmentFiles paths. */
  readonly baseDir?: string;
}

export function createLaunchHooks(options: LaunchHookOptions): LaunchHooks {
  const resolverFor = (secretsFile: string | undefined) =>
    createSecretResolver({
      ...(secretsFile ? { secretsFile } : {}),
      ...(options.aws ? { aws: options.aws } : {}),
    });
  const defaultResolver = resolverFor(options.secretsFile);

  return {
    async prepare(task, detail, containerId) {
      const resolver = task.secretsFile ? resolverFor(task.secretsFile) : defaultResolver;
      // Secrets and env files first: an unresolvable one fails the task before anything exists.
      const extra = new Map<string, Record<string, string>>();
      for (const c of task.containers) {
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
            source: { task: detail, containerId, docker: options.docker },
          })
        : undefined;
      const prepared: PreparedLaunch = {
        env: (name) => endpoints?.env(name) ?? {},
        extraEnv: (name) => extra.get(name) ?? {},
        extraHosts: endpoints?.extraHosts ?? [],
        attach: async (id) => {
          await endpoints?.attach(id);
        },
        dispose: async () => {
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
  };
}
