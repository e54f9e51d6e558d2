/**
 * Creating an app container from the task's state and launch material. A failure (a missing
 * mount source, or Docker refusing) fails the container with CannotCreateContainerError.
 */
import type Docker from '../docker/docker-client.js';
import { appContainerOptions } from './app-container-options.js';
import { redactedDockerText, type RunnerContext } from './runner-context.js';
import { dockerMessage } from './runtime-helpers.js';
import type { ContainerRuntime } from './task-runtime.js';

/** Starts the creation of `c`; the result comes back as a phase change and a converge. */
export function create(ctx: RunnerContext, c: ContainerRuntime): void {
  c.op = 'create';
  let options: Docker.ContainerCreateOptions;
  try {
    options = appContainerOptions(ctx.rt, c, ctx.prepared);
  } catch (err) {
    ctx.failContainer(c, `CannotCreateContainerError: ${(err as Error).message}`);
    ctx.converge();
    return;
  }
  ctx.deps.docker.createContainer(options).then(
    (container) => ctx.dispatch({ type: 'created', c, dockerId: container.id }),
    (err: Error) =>
      ctx.dispatch({
        type: 'createFailed',
        c,
        reason: `CannotCreateContainerError: ${redactedDockerText(ctx, dockerMessage(err))}`,
      }),
  );
}
