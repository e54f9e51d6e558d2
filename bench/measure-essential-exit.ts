/**
 * (b) An essential container exits: from Docker's `die` timestamp to the engine's event in which
 * that container is STOPPED, and to the engine's task STOPPED event (receipt times in this process).
 */
import { taskDef } from '../main/test-support/engine-fixture.js';
import { action, all, benchContainer, named, ofTask, type BenchContext } from './bench-context.js';
import { runBenchTask, stoppedWithin, tracedCall } from './engine-task.js';

export interface ExitSamples {
  /** `die` → engine event with the container STOPPED. */
  readonly containerStoppedMs: number[];
  /** `die` → engine event with the task STOPPED (after log drain and resource removal). */
  readonly taskStoppedMs: number[];
  /** `die` → this process receiving it (event-stream delivery). */
  readonly deliveryMs: number[];
  /** Where the task-STOPPED time goes: `die` → the engine's container remove call (log drain, list). */
  readonly dieToRemoveCallMs: number[];
  /** The remove call itself (daemon deletes the container and its rootfs). */
  readonly removeMs: number[];
  /** Remove done → task STOPPED event (network and volume listing, final record). */
  readonly removeDoneToStoppedMs: number[];
}

export async function measureEssentialExit(ctx: BenchContext, samples: number): Promise<ExitSamples> {
  const s: ExitSamples = {
    containerStoppedMs: [],
    taskStoppedMs: [],
    deliveryMs: [],
    dieToRemoveCallMs: [],
    removeMs: [],
    removeDoneToStoppedMs: [],
  };
  for (let i = 0; i < samples; i++) {
    const def = taskDef('bench-exit', [
      benchContainer(ctx, 'b', 'app', { command: ['sh', '-c', 'sleep 0.3; exit 0'] }),
    ]);
    const t = await runBenchTask(ctx, def);
    await stoppedWithin(ctx, t.taskId);
    const die = await ctx.dockerEvents.waitFor(
      all(ofTask(t.taskId), named('app'), action('die')),
      'essential die',
    );
    const mine = ctx.engineEvents.filter((e) => e.taskId === t.taskId);
    const cStopped = mine.find((e) => e.containers.app === 'STOPPED');
    const tStopped = mine.find((e) => e.lastStatus === 'STOPPED');
    if (!cStopped || !tStopped) throw new Error('essential exit: engine never reported STOPPED');
    s.containerStoppedMs.push(cStopped.receivedMs - die.atMs);
    s.taskStoppedMs.push(tStopped.receivedMs - die.atMs);
    s.deliveryMs.push(die.receivedMs - die.atMs);
    const remove = tracedCall(ctx, 'container.remove', die.id);
    if (remove?.doneMs !== undefined) {
      s.dieToRemoveCallMs.push(remove.calledMs - die.atMs);
      s.removeMs.push(remove.doneMs - remove.calledMs);
      s.removeDoneToStoppedMs.push(tStopped.receivedMs - remove.doneMs);
    }
  }
  return s;
}
