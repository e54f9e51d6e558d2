/**
 * Creating an app container from the task's state and launch material. A failure (a missing
 * mount source, or Docker refusing) fails the container with CannotCreateContainerError.
 */
import type Docker from '../docker/docker-client.js';
import { gatedOptions } from '../endpoints/endpoint-gate.js';
import { appContainerOptions } from './app-container-options.js';
import { redactedDockerText, type RunnerContext } from './runner-context.js';
import { dockerMessage } from './runtime-helpers.js';
import type { ContainerRuntime } from './task-runtime.js';

/**
 * Per task, the chain that issues create calls: each container first awaits image inspects, yet
 * Docker sees the creates in the order `create` was called (declaration order, ECS's rule).
 */
const issueChains = new WeakMap<object, Promise<void>>();

/** Starts the creation of `c`; the result comes back as a message to the task's actor. */
export function create(ctx: RunnerContext, c: ContainerRuntime): void {
  c.op = 'create';
  const docker = ctx.deps.docker;
  const failed = (err: Error): void =>
    ctx.dispatch({
      type: 'createFailed',
      c,
      reason: `CannotCreateContainerError: ${redactedDockerText(ctx, dockerMessage(err))}`,
    });
  const prepare = async (): Promise<Docker.ContainerCreateOptions | undefined> => {
    // The agent leaves AWS_REGION alone when the image sets it (agent-environment.ts), so the
    // image's own Env is read first; an image Docker cannot inspect just means no such keys.
    const keys = await imageEnvKeys(docker, c.def.image).catch(() => undefined);
    let options: Docker.ContainerCreateOptions;
    try {
      options = appContainerOptions(ctx.rt, c, ctx.prepared, keys);
    } catch (err) {
      ctx.dispatch({
        type: 'createFailed',
        c,
        reason: `CannotCreateContainerError: ${(err as Error).message}`,
      });
      return undefined;
    }
    const gateVolume = ctx.rt.definition.networkMode === 'bridge' ? ctx.prepared?.gateVolume : undefined;
    return gateVolume ? withGate(docker, options, gateVolume) : options;
  };
  const turn = (issueChains.get(ctx.rt) ?? Promise.resolve()).then(prepare).then((options) => {
    if (!options) return;
    // Issued in turn; the chain does not wait for Docker's answer.
    docker
      .createContainer(options)
      .then((container) => ctx.dispatch({ type: 'created', c, dockerId: container.id }), failed);
  }, failed);
  issueChains.set(
    ctx.rt,
    turn.catch(() => undefined),
  );
}

async function imageEnvKeys(docker: Docker, image: string): Promise<ReadonlySet<string>> {
  const info = await docker.getImage(image).inspect();
  return new Set((info.Config?.Env ?? []).map((e) => e.split('=', 1)[0] ?? ''));
}

/** The options behind the endpoint start gate; the image's entrypoint/command only when needed. */
async function withGate(
  docker: Docker,
  options: Docker.ContainerCreateOptions,
  volume: string,
): Promise<Docker.ContainerCreateOptions> {
  // Docker uses the image's CMD only when no entrypoint is given at create.
  const needsImage = !options.Entrypoint;
  const config = needsImage ? (await docker.getImage(options.Image ?? '').inspect()).Config : {};
  return gatedOptions(options, config, volume);
}
