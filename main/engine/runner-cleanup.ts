/**
 * Cleanup once every container has stopped: drain the logs, settle late OOM flags, release the
 * launch material (endpoint ids, helpers) and remove the task's Docker objects unless it is kept.
 */
import { isoNow, type RunnerContext } from './runner-context.js';
import { recordOomKill } from './runner-inspect.js';
import { removeTaskResources, taskResourcesLeft } from './task-resources.js';

/**
 * Starts cleanup; when it ends, whether or not every step succeeded, a `cleanedUp` message says
 * whether Docker now reports nothing left for the task (`false`: retry with `retryCleanup`).
 */
export function cleanup(ctx: RunnerContext): void {
  const rt = ctx.rt;
  rt.executionStoppedAt ??= isoNow(ctx);
  if (rt.networkName) ctx.setTaskStatus('DEPROVISIONING');
  (async () => {
    // Let every log stream drain before its container disappears; the stats streams end here.
    ctx.stats.endAll();
    await ctx.logs.drain();
    // The OOM flag can trail the exit: ask Docker once more before the containers are removed.
    await Promise.all(
      rt.containers
        .filter((c) => c.dockerId && c.exitCode !== undefined && !c.reason)
        .map((c) => recordOomKill(ctx, c)),
    );
    await ctx.prepared?.dispose().catch(() => {});
    if (rt.keep) return true;
    return removeAll(ctx);
  })().then(
    (clean) => ctx.dispatch({ type: 'cleanedUp', clean }),
    () => ctx.dispatch({ type: 'cleanedUp', clean: false }),
  );
}

/** Removes what Docker still has for the task; a `cleanupRetried` message says whether nothing is left. */
export function retryCleanup(ctx: RunnerContext): void {
  removeAll(ctx).then(
    (clean) => ctx.dispatch({ type: 'cleanupRetried', clean }),
    () => ctx.dispatch({ type: 'cleanupRetried', clean: false }),
  );
}

async function removeAll(ctx: RunnerContext): Promise<boolean> {
  const report = await removeTaskResources(ctx.deps.docker, ctx.rt.taskId);
  if (report.errors.length) return false;
  return (await taskResourcesLeft(ctx.deps.docker, ctx.rt.taskId)) === 0;
}
