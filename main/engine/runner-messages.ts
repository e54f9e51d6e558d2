/**
 * Everything that reaches a task's actor, as messages: requests (launch, stop), Docker events,
 * timers, and what each settled Docker call found. Docker work (runner-pull, -create, -start,
 * -stop, -provision, -cleanup, -inspect, -adopt, -resync, -endpoints, the log followers) never
 * touches the TaskRuntime from a promise or stream callback: it `dispatch`es one of these, and
 * the actor applies it with its one transition function (runner-transition.ts).
 */
import type { NetworkBinding, StopCode } from '../../contract/dto.js';
import type Docker from '../docker/docker-client.js';
import type { DockerEvent } from '../docker/docker-events.js';
import type { LogTail } from '../store/container-log-files.js';
import type { PullResult } from './image-puller.js';
import type { PreparedLaunch } from './launch-hooks.js';
import type { RawLogLine } from './log-follower.js';
import type { RunnerContext } from './runner-context.js';
import type { ProvisionedResources } from './task-resources.js';
import type { ContainerRuntime } from './task-runtime.js';

/** A note for the phase history: on one container, or (no `c`) on every container. */
export interface EndpointNote {
  readonly c?: ContainerRuntime;
  readonly note: string;
}

/** Re-adoption's endpoint restore ended: the launch material (if the hooks gave it) and notes. */
export interface EndpointsRestored {
  readonly type: 'endpointsRestored';
  readonly prepared?: PreparedLaunch;
  readonly notes: readonly EndpointNote[];
}

/** What a resync's inspect found out about a container. */
export type ResyncedState =
  | { readonly kind: 'running'; readonly startedAt: string }
  | { readonly kind: 'exited'; readonly exitCode: number; readonly at: string; readonly oom: boolean }
  | { readonly kind: 'gone'; readonly at: string };

export type RunnerMessage =
  // ---- requests and timers
  | { readonly type: 'launch' }
  | {
      readonly type: 'stopRequested';
      readonly code: StopCode;
      readonly reason: string;
      readonly by?: string;
      /** A second stop request: SIGKILL whatever still runs. */
      readonly force?: boolean;
    }
  /** The nearest startTimeout deadline passed, or a retry is due. */
  | { readonly type: 'deadline' }
  | { readonly type: 'retry' }
  /** Docker answers again after an outage: redo what failed meanwhile. */
  | { readonly type: 'dockerReconnected' }
  /** After an engine restart: a stopped task whose cleanup did not finish gets it finished. */
  | { readonly type: 'resumeCleanup' }
  | { readonly type: 'dockerEvent'; readonly ev: DockerEvent }
  // ---- settled Docker work
  | {
      readonly type: 'provisioned';
      readonly resources: ProvisionedResources;
      readonly prepared: PreparedLaunch;
      readonly notes: readonly EndpointNote[];
    }
  | { readonly type: 'provisionFailed'; readonly reason: string; readonly prepared?: PreparedLaunch }
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
  /** 169.254.170.2 could not be made to answer for a started bridge container. */
  | { readonly type: 'endpointNote'; readonly c: ContainerRuntime; readonly note: string }
  | { readonly type: 'cleanedUp'; readonly clean: boolean }
  | { readonly type: 'cleanupRetried'; readonly clean: boolean }
  /** Re-adoption read Docker: the task's containers (inspected) and where its stored log ends. */
  | {
      readonly type: 'adoptionRead';
      readonly infos: readonly Docker.ContainerInspectInfo[];
      readonly tail: LogTail | undefined;
    }
  | { readonly type: 'adoptionFailed'; readonly message: string }
  | EndpointsRestored
  | { readonly type: 'resynced'; readonly c: ContainerRuntime; readonly state: ResyncedState }
  /** The awsvpc pause container exited (or is gone) while Docker was unreachable. */
  | { readonly type: 'pauseGone'; readonly at: string; readonly exitCode?: number }
  /** One line a container's log follower read. */
  | { readonly type: 'logLine'; readonly c: ContainerRuntime; readonly line: RawLogLine };

/**
 * Task-level Docker work in flight (at most one; container work is each container's `op`):
 * re-adoption (reading Docker, then restoring endpoints), provisioning, cleanup (also a retried one).
 */
export type TaskWork = 'adopt' | 'provision' | 'cleanup';

/** The actor as its transition function sees it: the context plus the actor's own bookkeeping. */
export interface RunnerActor extends RunnerContext {
  /** The task-level work in flight; converge starts new work only when it is undefined. */
  taskWork: TaskWork | undefined;
  /** Task-level work has settled (re-adoption: `adopt()`'s promise resolves, or rejects with `error`). */
  endTaskWork(error?: Error): void;
  /** Cleanup ended: the task is STOPPED (`clean`: nothing left in Docker). */
  finish(clean: boolean): void;
  /** A retried cleanup ended. */
  cleanupRetried(clean: boolean): void;
  /** Sets the one startTimeout timer to `at` (Infinity: none). */
  armDeadline(at: number): void;
  /** Docker is back: the retry timer is reset. */
  resetRetry(): void;
}
