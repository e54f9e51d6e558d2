/**
 * Cleanup once every container has stopped: drain the logs, settle late OOM flags, release the
 * launch material (endpoint ids, helpers) and remove the task's Docker objects unless it is kept.
 */
import { isoNow, type RunnerContext } from './runner-context.js';
import { recordOomKill } from './runner-inspect.js';
import { removeTaskResources } from './task-resources.js';

/** Starts cleanup; `done` runs when it ends, whether or not every step succeeded. */
export function cleanup(ctx: RunnerContext, done: () => void): void {
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
    if (!rt.keep) await removeTaskResources(ctx.deps.docker, rt.taskId);
  })().then(done, done);
}
