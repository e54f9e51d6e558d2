/**
 * Stopping a service task the ECS way: deregister its targets (they drain: no new requests,
 * in-flight ones finish, for the group's deregistration delay), THEN StopTask.
 */
import type { TaskEngineApi } from '../engine/engine-api.js';
import type { LoadBalancerApi } from './load-balancer-api.js';
import { messages } from './service-messages.js';

/** What drainThenStop reports while it works. */
export interface DrainHooks {
  milestone(kind: 'draining' | 'stopping', detail?: string): void;
  event(message: string): void;
  /** StopTask was requested. */
  stopRequested(): void;
  /** Nothing to stop any more: the task stopped by itself, or the manager closed (the next one redoes the stop). */
  isStopped(): boolean;
}

/** Drains `taskId` from every group in `groupArns`, then asks the engine to stop it. */
export async function drainThenStop(
  deps: { readonly engine: TaskEngineApi; readonly loadBalancer: LoadBalancerApi },
  serviceName: string,
  taskId: string,
  groupArns: readonly string[],
  reason: string,
  hooks: DrainHooks,
): Promise<void> {
  if (groupArns.length > 0) {
    hooks.milestone('draining');
    hooks.event(messages.draining(serviceName, 1));
    await Promise.all(
      groupArns.map(async (arn) => {
        await deps.loadBalancer.deregisterTarget(arn, taskId);
        hooks.event(messages.deregistered(serviceName, 1, arn));
      }),
    );
  }
  if (hooks.isStopped()) return;
  hooks.milestone('stopping', reason);
  await deps.engine.stopTask(taskId, `Task stopped by the service scheduler: ${reason}`);
  hooks.event(messages.stopped(serviceName, [taskId]));
  hooks.stopRequested();
}
