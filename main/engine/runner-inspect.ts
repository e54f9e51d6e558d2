/**
 * Follow-up inspections after Docker events, for what the events do not carry: the OOM flag,
 * the health-probe log and the published port bindings. Each is best effort: a container gone
 * meanwhile leaves the state as it was.
 */
import type { RunnerContext } from './runner-context.js';
import { bindingsOf } from './runtime-helpers.js';
import type { ContainerRuntime } from './task-runtime.js';

/**
 * Asks Docker whether an exited container was OOM-killed (the flag can trail the exit) and, if
 * so, tells the actor (which records it unless a reason is known). Never rejects.
 */
export function recordOomKill(ctx: RunnerContext, c: ContainerRuntime): Promise<void> {
  return ctx.deps.docker
    .getContainer(c.dockerId!)
    .inspect()
    .then((info) => {
      if (info.State.OOMKilled) ctx.dispatch({ type: 'oomKilled', c });
    })
    .catch(() => {});
}

/** Hands on health probes Docker ran since the last look, then re-evaluates dependencies. */
export function fetchProbes(ctx: RunnerContext, c: ContainerRuntime): void {
  if (!c.dockerId || !c.def.healthCheck) return;
  ctx.deps.docker
    .getContainer(c.dockerId)
    .inspect()
    .then((info) => ctx.dispatch({ type: 'inspectedHealth', c, info }))
    .catch(() => {});
}

/** Reads the container's host ports (awsvpc: from the pause container; host: as mapped). */
export function refreshBindings(ctx: RunnerContext, c: ContainerRuntime): void {
  const rt = ctx.rt;
  const id = rt.definition.networkMode === 'awsvpc' ? rt.pauseContainerId : c.dockerId;
  if (!id || c.def.portMappings.length === 0) return;
  ctx.deps.docker
    .getContainer(id)
    .inspect()
    .then((info) => {
      const bindings =
        rt.definition.networkMode === 'host'
          ? c.def.portMappings.map((p) => ({
              bindIP: '0.0.0.0',
              containerPort: p.containerPort,
              hostPort: p.containerPort,
              protocol: p.protocol,
            }))
          : bindingsOf(info).filter((b) =>
              c.def.portMappings.some(
                (p) => p.containerPort === b.containerPort && p.protocol === b.protocol,
              ),
            );
      ctx.dispatch({ type: 'bindings', c, bindings });
    })
    .catch(() => {});
}
