/**
 * Convergence: compares a task's desired and known state and starts whatever Docker work is due —
 * provisioning, then per container pull, create (dependencies and declaration order permitting),
 * start; when stopping, the stops in reverse dependency order, then cleanup. Work in flight (a
 * container's `op`, the actor's `taskWork`) is never started twice; its answer comes back as a
 * message and converges again.
 */
import { heldByDeclarationOrder } from './declaration-order.js';
import { resolveDependencies } from './dependency-resolution.js';
import { effectiveDependsOn } from './links.js';
import { cleanup, retryCleanup } from './runner-cleanup.js';
import { create } from './runner-create.js';
import type { RunnerActor } from './runner-messages.js';
import { provision } from './runner-provision.js';
import { pull } from './runner-pull.js';
import { start } from './runner-start.js';
import { failContainer, setPhase, setTaskStatus } from './runner-state.js';
import { stopContainers } from './runner-stop.js';
import { upstreamStates } from './runtime-helpers.js';
import { taskStatusRank } from './status.js';
import type { ContainerRuntime } from './task-runtime.js';

/** One pass toward the desired state. */
export function convergeOnce(a: RunnerActor): void {
  // Re-adoption first settles what the task's state is; nothing is started or stopped before.
  if (a.taskWork === 'adopt') return;
  if (a.rt.desiredStatus === 'RUNNING') convergeRunning(a);
  else convergeStopped(a);
}

function convergeRunning(a: RunnerActor): void {
  const rt = a.rt;
  if (!rt.provisioned) {
    if (!a.taskWork) {
      a.taskWork = 'provision';
      provision(a);
    }
    return;
  }
  if (rt.lastStatus === 'PROVISIONING') setTaskStatus(a, 'PENDING');
  const states = upstreamStates(rt.containers);
  const now = a.now();
  let nextDeadline = Infinity;
  for (const [i, c] of rt.containers.entries()) {
    if (c.op || c.phase === 'STOPPED' || c.phase === 'RUNNING' || c.phase === 'STOPPING') continue;
    if (c.phase === 'NONE') {
      pull(a, c);
      continue;
    }
    if (c.phase === 'PULLED' || c.phase === 'WAITING') {
      const deps = effectiveDependsOn(c.def);
      const res = resolveDependencies(deps, states, now, c.waits);
      const waitsChanged = JSON.stringify(res.waits) !== JSON.stringify(c.waits);
      c.waits = [...res.waits];
      if (res.kind === 'impossible') {
        c.exitCode = 143;
        failContainer(a, c, `CannotStartContainerError: ${res.reason}`);
        continue;
      }
      if (res.kind === 'blocked') {
        if (res.nextDeadline !== undefined) nextDeadline = Math.min(nextDeadline, res.nextDeadline);
        if (c.phase !== 'WAITING' || waitsChanged) {
          setPhase(a, c, 'WAITING', res.reason);
          a.deps.onPersist();
        }
        continue;
      }
      if (!volumesFromReady(a, c)) continue;
      if (waitsChanged) a.deps.onPersist();
      if (!heldByDeclarationOrder(rt.containers, i, 'create')) create(a, c);
      continue;
    }
    if (c.phase === 'CREATED' && !heldByDeclarationOrder(rt.containers, i, 'start')) start(a, c);
  }
  a.armDeadline(nextDeadline);
  if (
    rt.pullStartedAt &&
    !rt.pullStoppedAt &&
    rt.containers.every((c) => c.phase !== 'NONE' && c.phase !== 'PULLING')
  ) {
    rt.pullStoppedAt = new Date(now).toISOString();
  }
  const allUp = rt.containers.every((c) => c.phase === 'RUNNING' || (c.phase === 'STOPPED' && c.startedAt));
  if (allUp && taskStatusRank(rt.lastStatus) < taskStatusRank('RUNNING')) {
    rt.startedAt = new Date(now).toISOString();
    setTaskStatus(a, 'RUNNING');
  }
}

/** volumesFrom sources must exist (created) before the container that mounts them. */
function volumesFromReady(a: RunnerActor, c: ContainerRuntime): boolean {
  return c.def.volumesFrom.every((v) => a.rt.containers.find((x) => x.name === v.sourceContainer)?.dockerId);
}

function convergeStopped(a: RunnerActor): void {
  const rt = a.rt;
  if (a.taskWork === 'provision') return; // finish provisioning first; then everything is torn down
  if (taskStatusRank(rt.lastStatus) < taskStatusRank('STOPPING')) setTaskStatus(a, 'STOPPING');
  a.armDeadline(Infinity);
  stopContainers(a);
  const idle = rt.containers.every((c) => c.phase === 'STOPPED' && !c.op);
  if (idle && !a.taskWork && rt.lastStatus !== 'STOPPED') {
    a.taskWork = 'cleanup';
    cleanup(a);
  }
}

/** Redo now what failed for a reason that may have passed: converge, and a pending cleanup. */
export function retryNow(a: RunnerActor): void {
  a.converge();
  if (!a.rt.cleanupPending || a.taskWork) return;
  a.taskWork = 'cleanup';
  retryCleanup(a);
}
