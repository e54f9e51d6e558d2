/**
 * Task endpoints (metadata and credentials at 169.254.170.2) in a task's network namespaces. A
 * failure here never fails the task — the app may never call the endpoints — but it is recorded in
 * the containers' phase history, where the user will see it. The Docker work here only reports:
 * what it found comes back to the task's actor as a message (or a note in one).
 */
import type { PreparedLaunch } from './launch-hooks.js';
import type { RunnerContext } from './runner-context.js';
import type { EndpointsRestored } from './runner-messages.js';
import type { ContainerRuntime } from './task-runtime.js';

/**
 * Makes 169.254.170.2 answer in a network namespace (awsvpc: the pause container; bridge: a
 * container). Resolves with the note to record when it could not, else undefined; never rejects.
 */
export async function attachEndpoints(
  prepared: PreparedLaunch | undefined,
  networkContainerId: string,
): Promise<string | undefined> {
  try {
    await prepared?.attach(networkContainerId);
    return undefined;
  } catch (err) {
    return `task endpoints unreachable at 169.254.170.2: ${(err as Error).message}`;
  }
}

/** A bridge container just started: attach its endpoints; a failure comes back as an `endpointNote`. */
export function attachContainerEndpoints(ctx: RunnerContext, c: ContainerRuntime, id: string): void {
  attachEndpoints(ctx.prepared, id).then(
    (note) => {
      if (note) ctx.dispatch({ type: 'endpointNote', c, note });
    },
    (err: unknown) => console.error(`[taskdeck] attaching task endpoints to ${c.name} failed:`, err),
  );
}

/**
 * After a restart: serve the same endpoint ids again and make 169.254.170.2 answer in the task's
 * namespaces once more (the running containers' as the actor knew them when this began). Reports
 * an `endpointsRestored` message; a failure leaves the task running without endpoints (noted).
 */
export function restoreEndpoints(ctx: RunnerContext): void {
  const rt = ctx.rt;
  // Where 169.254.170.2 must answer: the pause container's namespace (a note then concerns every
  // container), or each running bridge container's own.
  const targets: { id: string; c?: ContainerRuntime }[] = [];
  if (rt.definition.networkMode === 'awsvpc' && rt.pauseContainerId)
    targets.push({ id: rt.pauseContainerId });
  if (rt.definition.networkMode === 'bridge') {
    for (const c of rt.containers)
      if (c.phase === 'RUNNING' && c.dockerId) targets.push({ id: c.dockerId, c });
  }
  (async (): Promise<Omit<EndpointsRestored, 'type'>> => {
    let prepared: PreparedLaunch;
    try {
      prepared = await ctx.deps.hooks.prepare(
        rt,
        () => ctx.detail(),
        (name) => rt.containers.find((c) => c.name === name)?.dockerId,
        { adopting: true, stats: (name) => ctx.stats.agentDocument(name) },
      );
    } catch (err) {
      return { notes: [{ note: `task endpoints not restored: ${(err as Error).message}` }] };
    }
    const notes = await Promise.all(
      targets.map(async (t) => {
        const note = await attachEndpoints(prepared, t.id);
        return note ? [{ ...(t.c ? { c: t.c } : {}), note }] : [];
      }),
    );
    return { prepared, notes: notes.flat() };
  })().then(
    (result) => ctx.dispatch({ type: 'endpointsRestored', ...result }),
    (err: Error) =>
      ctx.dispatch({
        type: 'endpointsRestored',
        notes: [{ note: `task endpoints not restored: ${err.message}` }],
      }),
  );
}
