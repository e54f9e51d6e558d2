/**
 * A task actor's one transition function: applies one message (runner-messages.ts) to the task's
 * runtime, then converges — the only place a task's runtime changes. Messages are applied one at
 * a time in arrival order (the actor's mailbox), never nested.
 */
import type { PreparedLaunch } from './launch-hooks.js';
import { OOM_REASON } from './runner-context.js';
import { applyAdoptionRead, applyEndpointsRestored } from './runner-adopt.js';
import { retryNow } from './runner-converge.js';
import { applyDockerEvent } from './runner-docker-event.js';
import type { RunnerActor, RunnerMessage } from './runner-messages.js';
import { applyResynced } from './runner-resync.js';
import {
  containerExited,
  containerStarted,
  failContainer,
  forceStop,
  noteEndpoints,
  pauseExited,
  requestStop,
  setPhase,
} from './runner-state.js';
import { mergeProbes } from './runtime-helpers.js';
import type { TaskRuntime } from './task-runtime.js';

export function applyMessage(a: RunnerActor, msg: RunnerMessage): void {
  const rt = a.rt;
  switch (msg.type) {
    // ---------------------------------------------------------------- requests, events, timers
    case 'launch':
      a.changed(); // the first event: PROVISIONING
      break;
    case 'stopRequested':
      if (msg.force) forceStop(a, msg.code, msg.reason);
      else requestStop(a, msg.code, msg.reason, msg.by);
      return;
    case 'deadline':
      break;
    case 'retry':
      retryNow(a);
      return;
    case 'dockerReconnected':
      a.resetRetry();
      retryNow(a);
      // Log streams cut by the outage re-attach from their last line (containers may have run on).
      a.logs.reattach();
      a.stats.reattach();
      return;
    case 'resumeCleanup':
      if (rt.cleanupPending) retryNow(a);
      return;
    case 'dockerEvent':
      applyDockerEvent(a, msg.ev);
      return;
    case 'logLine': {
      const { c, line } = msg;
      c.lastLogTime = line.time;
      a.logs.add({ taskId: rt.taskId, container: c.name, ...line, seq: ++rt.logSeq });
      return;
    }
    // ---------------------------------------------------------------- task-level work
    case 'provisioned': {
      a.endTaskWork();
      const res = msg.resources;
      takeLaunchMaterial(a, rt, msg.prepared);
      rt.volumeSources = Object.fromEntries(res.volumeSources);
      if (res.networkName) rt.networkName = res.networkName;
      if (res.pauseContainerId) rt.pauseContainerId = res.pauseContainerId;
      if (res.attachment) rt.attachments = [res.attachment];
      rt.provisioned = true;
      noteEndpoints(a, msg.notes);
      a.changed();
      break;
    }
    case 'provisionFailed':
      a.endTaskWork();
      takeLaunchMaterial(a, rt, msg.prepared);
      rt.provisioned = true;
      for (const c of rt.containers) {
        c.reason = msg.reason;
        c.failedReason = msg.reason;
      }
      requestStop(a, 'TaskFailedToStart', msg.reason);
      break;
    case 'cleanedUp':
      a.endTaskWork();
      a.finish(msg.clean);
      return;
    case 'cleanupRetried':
      a.endTaskWork();
      a.cleanupRetried(msg.clean);
      return;
    case 'adoptionRead':
      applyAdoptionRead(a, msg.infos, msg.tail);
      break;
    case 'adoptionFailed':
      a.endTaskWork(new Error(msg.message));
      break;
    case 'endpointsRestored':
      applyEndpointsRestored(a, msg.prepared, msg.notes);
      break;
    case 'resynced':
      applyResynced(a, msg.c, msg.state);
      return;
    case 'pauseGone':
      pauseExited(a, msg.at, msg.exitCode);
      return;
    // ---------------------------------------------------------------- container work
    case 'pulled': {
      const { c, result } = msg;
      c.op = undefined;
      if (result.imageDigest) c.imageDigest = result.imageDigest;
      c.imageId = result.imageId;
      if (rt.desiredStatus === 'STOPPED' && !rt.containers.some((x) => x.op === 'pull')) {
        rt.pullStoppedAt ??= new Date(a.now()).toISOString();
      }
      const note = result.usedCache
        ? 'pull failed; using cached image'
        : result.pulled
          ? undefined
          : 'cached';
      setPhase(a, c, 'PULLED', note);
      a.changed();
      break;
    }
    case 'pullFailed':
      msg.c.op = undefined;
      // As the agent does: a failed pull still ends the pull phase (the task is stopping, so
      // convergeRunning, which normally records it, will not run again).
      if (!rt.containers.some((x) => x.op === 'pull')) rt.pullStoppedAt ??= new Date(a.now()).toISOString();
      failContainer(a, msg.c, msg.reason);
      break;
    case 'created':
      msg.c.op = undefined;
      msg.c.dockerId = msg.dockerId;
      msg.c.createdAt = new Date(a.now()).toISOString();
      setPhase(a, msg.c, 'CREATED');
      a.changed();
      break;
    case 'createFailed':
    case 'startFailed':
      msg.c.op = undefined;
      failContainer(a, msg.c, msg.reason);
      break;
    case 'started':
      msg.c.op = undefined;
      // The `start` event normally arrives first; this covers a missed one.
      containerStarted(a, msg.c, msg.c.startedAt ?? new Date(a.now()).toISOString());
      break;
    case 'stopFailed':
      if (msg.c.phase === 'STOPPED') break;
      msg.c.op = undefined;
      setPhase(a, msg.c, 'STOPPING', `stop failed, will retry: ${msg.message}`);
      a.changed();
      // Not now (that would resend at once, in a loop): after a delay or when Docker is back.
      a.retryLater();
      return;
    case 'exited':
      containerExited(a, msg.c, msg.exitCode, msg.at, msg.oom);
      break;
    case 'oomKilled':
      if (msg.c.reason) return;
      msg.c.oomKilled = true;
      msg.c.reason = OOM_REASON;
      a.changed();
      return;
    case 'inspectedHealth': {
      const c = msg.c;
      const before = c.probes.length;
      if (!mergeProbes(c.probes, msg.info)) return;
      const known = new Set(c.probes.slice(0, before).map((p) => p.start));
      a.deps.onProbes?.(
        c.name,
        c.probes.filter((p) => !known.has(p.start)),
      );
      a.deps.onPersist();
      break;
    }
    case 'bindings':
      msg.c.networkBindings = msg.bindings;
      a.changed();
      return;
    case 'endpointNote':
      noteEndpoints(a, [{ c: msg.c, note: msg.note }]);
      return;
  }
  a.converge();
}

/** Provisioning settled: what the hooks prepared is the task's from now on. */
function takeLaunchMaterial(a: RunnerActor, rt: TaskRuntime, prepared: PreparedLaunch | undefined): void {
  if (!prepared) return;
  a.prepared = prepared;
  rt.endpointState = prepared.endpointState;
  if (prepared.credentialsWarning) rt.credentialsWarning = prepared.credentialsWarning;
}
