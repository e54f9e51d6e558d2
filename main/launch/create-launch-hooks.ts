/**
 * Builds the engine's LaunchHooks from the real sources: secrets (local file, AWS when enabled),
 * environment files, registry credentials, and the task endpoints (metadata, credentials).
 * Shared by the CLI and the app's composition root.
 */
import type Docker from '../docker/docker-client.js';
import type { AwsAccess } from '../aws/aws-access.js';
import { awsErrorText } from '../aws/aws-access.js';
import { metadataExtrasOf } from '../endpoints/metadata-extras.js';
import type { CredentialSource, TaskCredentials } from '../aws/credential-source.js';
import { resolveEnvironmentFiles } from '../aws/environment-files.js';
import { registryAuthFor } from '../aws/registry-auth.js';
import { createSecretResolver } from '../aws/secrets.js';
import type { LaunchHooks, PreparedLaunch } from '../engine/launch-hooks.js';
import type { PreparedTaskEndpoints, TaskEndpointIds, TaskEndpoints } from '../endpoints/task-endpoints.js';
import type { TaskRuntime } from '../engine/task-runtime.js';
import { envEntryProblem, shownName } from '../task-definition/env-safety.js';

export interface LaunchHookOptions {
  readonly docker: Docker;
  /** Default secrets file (a run may name its own). */
  readonly secretsFile?: string;
  readonly aws?: AwsAccess;
  readonly endpoints?: TaskEndpoints;
  /** Task-role credentials (one session per task); also the inspector's status (never values). */
  readonly credentialSource?: CredentialSource;
  /** Folder for environmentFiles of tasks that name no scope of their own (nothing outside it is read). */
  readonly baseDir?: string;
  /** Made present before a bridge or awsvpc task creates anything (pause container, endpoint helpers). */
  readonly helperImage?: { ensure(): Promise<void> };
  /**
   * Where secrets come from, read at every launch (the app's Settings: a local secrets file and/or
   * real Secrets Manager / SSM); replaces `secretsFile` and `aws` for secrets when given. A run that
   * names its own secrets file still uses that file.
   */
  readonly secretSource?: () => SecretSourceSettings;
}

/** A secrets source as Settings and the CLI's --secrets-file / --aws-secrets describe it. */
export interface SecretSourceSettings {
  readonly secretsFile?: string;
  /** Secrets Manager / SSM through the local AWS chain; absent or disabled = local file only. */
  readonly aws?: AwsAccess;
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

/**
 * Opens a task's credentials; at launch waits for the first ones, so a role that cannot be
 * assumed fails the task before anything is created. A re-adopted task keeps running either way.
 */
async function openCredentials(
  source: CredentialSource,
  task: TaskRuntime,
  roleArn: string,
  adopting: boolean,
): Promise<TaskCredentials> {
  const mode = task.passOwnCredentials ? 'own' : 'assume-role';
  const session = source.open({ taskId: task.taskId, roleArn, mode });
  if (adopting) return session;
  try {
    await session.ready();
  } catch (err) {
    session.close();
    const what =
      mode === 'own'
        ? `unable to get your own AWS credentials for task role ${roleArn}`
        : `unable to assume task role ${roleArn}`;
    throw new Error(`ResourceInitializationError: ${what}: ${awsErrorText(err)}`);
  }
  return session;
}

export function createLaunchHooks(options: LaunchHookOptions): InspectableLaunchHooks {
  const live = new Map<string, { endpoints: PreparedTaskEndpoints; credentials?: TaskCredentials }>();
  const resolverFor = (secretsFile: string | undefined, aws = options.aws) =>
    createSecretResolver({
      ...(secretsFile ? { secretsFile } : {}),
      ...(aws ? { aws } : {}),
    });
  const fixedResolver = resolverFor(options.secretsFile);
  /** The run's own file wins; else the configured source as it is now; else the runtime's. */
  const secretsFor = (task: TaskRuntime) => {
    const source = options.secretSource?.();
    const aws = source ? source.aws : options.aws;
    if (task.secretsFile) return resolverFor(task.secretsFile, aws);
    return source ? resolverFor(source.secretsFile, source.aws) : fixedResolver;
  };

  return {
    async prepare(task, detail, containerId, prepareOptions) {
      const mode = task.definition.networkMode;
      // Fail fast, naming the image and the fix, before anything of the task exists.
      if (!prepareOptions?.adopting && (mode === 'bridge' || mode === 'awsvpc'))
        await options.helperImage?.ensure();
      const resolver = secretsFor(task);
      // Secrets and env files first: an unresolvable one fails the task before anything exists.
      const extra = new Map<string, Record<string, string>>();
      const sensitiveValues: string[] = [];
      // A re-adopted task's containers exist already: their secrets were resolved at launch.
      for (const c of prepareOptions?.adopting ? [] : task.containers) {
        const index = task.definition.containerDefinitions.findIndex((d) => d.name === c.name);
        const containerPath = `containerDefinitions[${index}]`;
        const env: Record<string, string> = {};
        if (c.def.environmentFiles.length) {
          const scope = task.environmentFileScope;
          const baseDir = scope ? scope.folder : options.baseDir;
          const fromFiles = await resolveEnvironmentFiles(c.def.environmentFiles, {
            ...(options.aws ? { aws: options.aws } : {}),
            ...(baseDir !== undefined ? { baseDir } : {}),
            ...(scope?.allowOutside ? { allowOutside: true } : {}),
            containerPath,
          });
          sensitiveValues.push(...Object.values(fromFiles));
          Object.assign(env, fromFiles);
        }
        if (c.def.secrets.length) {
          const values = await resolver.resolve(c.def.secrets);
          sensitiveValues.push(...Object.values(values));
          c.def.secrets.forEach((ref, i) => {
            const value = values[ref.name];
            const problem = value === undefined ? undefined : envEntryProblem(ref.name, value);
            if (problem) {
              // Docker's refusal would quote the value: name the variable and where it is declared.
              throw new Error(
                `ResourceInitializationError: secret ${shownName(ref.name)} (${containerPath}.secrets[${i}]) ${problem}`,
              );
            }
          });
          for (const [k, v] of Object.entries(values)) env[`secret:${k}`] = v;
        }
        extra.set(c.name, env);
      }
      const roleArn = task.definition.taskRoleArn;
      const credentials =
        roleArn && options.endpoints && options.credentialSource
          ? await openCredentials(options.credentialSource, task, roleArn, prepareOptions?.adopting === true)
          : undefined;
      let endpoints: PreparedTaskEndpoints | undefined;
      try {
        endpoints = options.endpoints
          ? await options.endpoints.prepareTask({
              taskId: task.taskId,
              taskArn: task.taskArn,
              family: task.definition.family,
              revision: task.definition.revision,
              networkMode: task.definition.networkMode,
              ...(roleArn ? { taskRoleArn: roleArn } : {}),
              ...(credentials ? { credentials: () => credentials.get() } : {}),
              containerNames: task.containers.map((c) => c.name),
              source: {
                task: detail,
                containerId,
                docker: options.docker,
                ...(prepareOptions?.stats ? { stats: prepareOptions.stats } : {}),
                extras: () => metadataExtrasOf(task),
              },
              // Only tasks launched by an older version carry ids in their record.
              ...(task.endpointState ? { restoreIds: task.endpointState as TaskEndpointIds } : {}),
            })
          : undefined;
      } catch (err) {
        credentials?.close();
        throw err;
      }
      if (endpoints) live.set(task.taskId, { endpoints, ...(credentials ? { credentials } : {}) });
      const warning = credentials?.warning();
      const prepared: PreparedLaunch = {
        env: (name) => endpoints?.env(name) ?? {},
        extraEnv: (name) => extra.get(name) ?? {},
        extraHosts: endpoints?.extraHosts ?? [],
        ...(endpoints?.gateVolume ? { gateVolume: endpoints.gateVolume } : {}),
        // Ids are derived again from the key after a restart; nothing new is persisted.
        ...(task.endpointState ? { endpointState: task.endpointState } : {}),
        ...(warning ? { credentialsWarning: warning } : {}),
        sensitiveValues,
        attach: async (id) => {
          await endpoints?.attach(id);
        },
        dispose: async () => {
          live.delete(task.taskId);
          credentials?.close();
          await endpoints?.dispose();
        },
      };
      return prepared;
    },
    async registryAuth(container, task) {
      const resolver = secretsFor(task);
      return registryAuthFor(container.image, container.repositoryCredentials, resolver, options.aws);
    },
    async close() {
      await options.endpoints?.close();
    },
    async endpointView(taskId, containerName, roleArn) {
      const entry = live.get(taskId);
      if (!entry) {
        return {
          unavailable:
            'This task has no live endpoints (it stopped, or its endpoints could not be restored).',
        };
      }
      const env = entry.endpoints.env(containerName);
      const uri = env.ECS_CONTAINER_METADATA_URI_V4 ?? '';
      // Asked in-process on the task's own path: the documents exactly as its containers get them.
      const get = async (path: string) => {
        const res = await entry.endpoints.request(`${new URL(uri).pathname}${path}`);
        return res.status === 200 ? (JSON.parse(res.body) as unknown) : { status: res.status };
      };
      const [root, task, stats] = await Promise.all([get(''), get('/task'), get('/stats')]);
      const rel = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ?? env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
      let credentials: EndpointView['credentials'];
      if (rel && roleArn) {
        const status = entry.credentials?.status();
        credentials = {
          roleArn,
          relativeUri: rel.replace(/\/v2\/credentials\/.*/, '/v2/credentials/…'),
          source: status?.source ?? 'none',
          ...(status?.profile ? { profile: status.profile } : {}),
          ...(status?.expiration ? { expiration: status.expiration } : {}),
          ...(status?.error ? { error: status.error } : status ? {} : { error: 'no credential source' }),
        };
      }
      return { metadataUri: uri, root, task, stats, ...(credentials ? { credentials } : {}) };
    },
  };
}
