/**
 * What a task's Docker work reports back to its actor, and the one transition function that applies
 * it. The transitions (runner-pull, -create, -start, -stop, -provision, -cleanup, -inspect) only do
 * Docker work: when a call settles they `dispatch` a message and never touch the TaskRuntime from
 * a promise callback. The actor applies each message in turn (its mailbox), then converges.
 */
import type { NetworkBinding } from '../../contract/dto.js';
import type Docker from '../docker/docker-client.js';
import type { PullResult } from './image-puller.js';
import type { RunnerContext } from './runner-context.js';
import { OOM_REASON } from './runner-context.js';
import { mergeProbes } from './runtime-helpers.js';
import type { ProvisionedResources } from './task-resources.js';
import type { ContainerRuntime } from './task-runtime.js';

export type RunnerMessage =
  | { readonly type: 'provisioned'; readonly resources: ProvisionedResources }
  | { readonly type: 'provisionFailed'; readonly reason: string }
  | { readonly type: 'pulled'; readonly c: ContainerRuntime; readonly result: PullResult }
  | { readonly type: 'pullFailed'; readonly c: ContainerRuntime; readonly reason: string }
  | { readonly type: 'created'; readonly c: ContainerRuntime; readonly dockerId: string }
  | { readonly type: 'createFailed'; readonly c: ContainerRuntime; readonly reason: string }
  | { readonly type: 'started'; readonly c: ContainerRuntime }
  | { readonly type: 'startFailed'; readonly c: ContainerRuntime; readonly reason: string }
  /** A stop or kill was not delivered (Docker unreachable, a daemon error): send it again later. */
  | { readonly type: 'stopFailed'; readonly c: ContainerRuntime; readonly message: string }
  /** Docker says the container exited (an inspect after a stop answer, or it is gone: `exitCode` as known). */
  | {
      readonly type: 'exited';
      readonly c: ContainerRuntime;
      readonly exitCode: number | undefined;
      readonly at: string;
      readonly oom: boolean;
    }
  | { readonly type: 'oomKilled'; readonly c: ContainerRuntime }
  /** An inspect after a health event: the probes Docker ran since the last look. */
  | {
      readonly type: 'inspectedHealth';
      readonly c: ContainerRuntime;
      readonly info: Docker.ContainerInspectInfo;
    }
  | { readonly type: 'bindings'; readonly c: ContainerRuntime; readonly bindings: NetworkBinding[] }
  | { readonly type: 'cleanedUp'; readonly clean: boolean }
  | { readonly type: 'cleanupRetried'; readonly clean: boolean };

/** The actor as the transition function sees it: its context plus the end-of-task steps. */
export interface RunnerActor extends RunnerContext {
  /** Task-level Docker work (provisioning, cleanup) has settled. */
  endTaskWork(): void;
  /** Cleanup ended: the task is STOPPED (`clean`: nothing left in Docker). */
  finish(clean: boolean): void;
  /** A retried cleanup ended. */
  cleanupRetried(clean: boolean): void;
}

/** The one place a Docker result changes the task: applies `msg`, then converges. */
export function applyMessage(a: RunnerActor, msg: RunnerMessage): void {
  const rt = a.rt;
  switch (msg.type) {
    case 'provisioned': {
      a.endTaskWork();
      const res = msg.resources;
      if (a.prepared) {
        rt.endpointState = a.prepared.endpointState;
        if (a.prepared.credentialsWarning) rt.credentialsWarning = a.prepared.credentialsWarning;
      }
      rt.volumeSources = Object.fromEntries(res.volumeSources);
      if (res.networkName) rt.networkName = res.networkName;
      if (res.pauseContainerId) rt.pauseContainerId = res.pauseContainerId;
      if (res.attachment) rt.attachments = [res.attachment];
      rt.provisioned = true;
      a.changed();
      break;
    }
    case 'provisionFailed':
      a.endTaskWork();
      if (a.prepared) {
        rt.endpointState = a.prepared.endpointState;
        if (a.prepared.credentialsWarning) rt.credentialsWarning = a.prepared.credentialsWarning;
      }
      rt.provisioned = true;
      for (const c of rt.containers) {
        c.reason = msg.reason;
        c.failedReason = msg.reason;
      }
      a.requestStop('TaskFailedToStart', msg.reason);
      break;
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
      a.setPhase(c, 'PULLED', note);
      a.changed();
      break;
    }
    case 'pullFailed':
      msg.c.op = undefined;
      // As the agent does: a failed pull still ends the pull phase (the task is stopping, so
      // convergeRunning, which normally records it, will not run again).
      if (!rt.containers.some((x) => x.op === 'pull')) rt.pullStoppedAt ??= new Date(a.now()).toISOString();
      a.failContainer(msg.c, msg.reason);
      break;
    case 'created':
      msg.c.op = undefined;
      msg.c.dockerId = msg.dockerId;
      msg.c.createdAt = new Date(a.now()).toISOString();
      a.setPhase(msg.c, 'CREATED');
      a.changed();
      break;
    case 'createFailed':
    case 'startFailed':
      msg.c.op = undefined;
      a.failContainer(msg.c, msg.reason);
      break;
    case 'started':
      msg.c.op = undefined;
      // The `start` event normally arrives first; this covers a missed one.
      a.containerStarted(msg.c, msg.c.startedAt ?? new Date(a.now()).toISOString());
      break;
    case 'stopFailed':
      if (msg.c.phase === 'STOPPED') break;
      msg.c.stopSent = false;
      msg.c.killSent = false;
      a.setPhase(msg.c, 'STOPPING', `stop failed, will retry: ${msg.message}`);
      a.changed();
      // Not now (that would resend at once, in a loop): after a delay or when Docker is back.
      a.retryLater();
      return;
    case 'exited':
      a.containerExited(msg.c, msg.exitCode, msg.at, msg.oom);
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
    case 'cleanedUp':
      a.endTaskWork();
      a.finish(msg.clean);
      return;
    case 'cleanupRetried':
      a.endTaskWork();
      a.cleanupRetried(msg.clean);
      return;
  }
  a.converge();
}
