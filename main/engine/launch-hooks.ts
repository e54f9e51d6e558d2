/**
 * What the engine asks of the outside world while launching a task: secrets and environment
 * files, endpoint variables (metadata, credentials), registry credentials. The default does
 * nothing beyond refusing secrets it cannot resolve; the composition root plugs in the real ones.
 */
import type { TaskDetail } from '../../contract/dto.js';
import type { ContainerDefinition } from '../task-definition/model.js';
import type { AuthConfig } from './image-puller.js';
import type { TaskRuntime } from './task-runtime.js';

/** Per-task launch material, produced before anything is created. */
export interface PreparedLaunch {
  /** Endpoint variables for a container (metadata URIs, credentials URI). */
  env(containerName: string): Record<string, string>;
  /** Secrets (as `secret:<NAME>` keys) and environment-file variables for a container. Never logged. */
  extraEnv(containerName: string): Record<string, string>;
  readonly extraHosts: readonly string[];
  /** Bridge: the start-gate volume; app containers then run behind the endpoint gate. */
  readonly gateVolume?: string;
  /** Called with the network namespace owner once it runs (awsvpc: pause; bridge: each container). */
  attach(networkContainerId: string): Promise<void>;
  beforeStart?(containerName: string, containerId: string): Promise<void>;
  /** Revokes ids and removes helpers. */
  dispose(): Promise<void>;
  /** Opaque endpoint state to keep with the task (only tasks of older versions have any). */
  readonly endpointState?: unknown;
  /** Shown on the task when it gets the user's own credentials instead of its task role. */
  readonly credentialsWarning?: string;
  /** Resolved secret and environment-file values: redacted from every Docker error text. */
  readonly sensitiveValues?: readonly string[];
}

export interface LaunchHooks {
  prepare(
    task: TaskRuntime,
    detail: () => TaskDetail,
    containerId: (name: string) => string | undefined,
    options?: {
      readonly adopting?: boolean;
      /** The container's latest stats document (agent shape), from the engine's stats stream. */
      readonly stats?: (containerName: string) => Promise<Record<string, unknown> | undefined>;
    },
  ): Promise<PreparedLaunch>;
  registryAuth(container: ContainerDefinition, task: TaskRuntime): Promise<AuthConfig | undefined>;
  close?(): Promise<void>;
}

/** Hooks with no endpoints and no secret sources. */
export const NO_LAUNCH_HOOKS: LaunchHooks = {
  async prepare(task) {
    for (const c of task.definition.containerDefinitions) {
      const s = c.secrets[0];
      if (s) {
        throw new Error(
          `ResourceInitializationError: unable to pull secrets or registry auth: secret ${s.name} (${s.valueFrom}) of container ${c.name}: no secret source is configured`,
        );
      }
    }
    return {
      env: () => ({}),
      extraEnv: () => ({}),
      extraHosts: [],
      attach: async () => {},
      dispose: async () => {},
    };
  },
  async registryAuth() {
    return undefined;
  },
};
