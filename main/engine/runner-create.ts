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

/** Starts the creation of `c`; the result comes back as a phase change and a converge. */
export function create(ctx: RunnerContext, c: ContainerRuntime): void {
  c.op = 'create';
  // The agent leaves AWS_REGION alone when the image sets it (agent-environment.ts), so the
  // image's own Env is read first; an image Docker cannot inspect just means no such keys.
  imageEnvKeys(ctx.deps.docker, c.def.image).then(
    (keys) => createWith(ctx, c, keys),
    () => createWith(ctx, c, undefined),
  );
}

async function imageEnvKeys(docker: Docker, image: string): Promise<ReadonlySet<string>> {
  const info = await docker.getImage(image).inspect();
  return new Set((info.Config?.Env ?? []).map((e) => e.split('=', 1)[0] ?? ''));
}

function createWith(ctx: RunnerContext, c: ContainerRuntime, keys: ReadonlySet<string> | undefined): void {
  let options: Docker.ContainerCreateOptions;
  try {
    options = appContainerOptions(ctx.rt, c, ctx.prepared, keys);
  } catch (err) {
    ctx.failContainer(c, `CannotCreateContainerError: ${(err as Error).message}`);
    ctx.converge();
    return;
  }
  const gateVolume = ctx.rt.definition.networkMode === 'bridge' ? ctx.prepared?.gateVolume : undefined;
  const docker = ctx.deps.docker;
  (gateVolume ? withGate(docker, options, gateVolume) : Promise.resolve(options))
    .then((o) => docker.createContainer(o))
    .then(
      (container) => ctx.dispatch({ type: 'created', c, dockerId: container.id }),
      (err: Error) =>
        ctx.dispatch({
          type: 'createFailed',
          c,
          reason: `CannotCreateContainerError: ${redactedDockerText(ctx, dockerMessage(err))}`,
        }),
    );
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
