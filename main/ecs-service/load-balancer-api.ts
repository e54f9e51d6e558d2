/**
 * What the service scheduler needs from the local load balancer (issue 13). Implemented by
 * `LocalLoadBalancer` (load-balancer/local-load-balancer.ts); the scheduler's unit tests use a
 * small in-memory double of this interface, the integration tests the real one.
 */
import type {
  TargetGroupView,
  TargetHealthCheckView,
  TargetHealthReason,
  TargetHealthState,
} from '../../contract/service-dto.js';
import type { TargetGroupSpec } from './target-group-spec.js';

/** One target: where the listener sends requests, and which task/container it belongs to. */
export interface TargetRef {
  readonly taskId: string;
  readonly containerName: string;
  /** Address the load balancer connects to (the task's ENI IP for awsvpc, 127.0.0.1 for bridge/host). */
  readonly host: string;
  readonly port: number;
}

/** A target's health changed (registration, a threshold crossed, draining began or ended). */
export interface TargetHealthChange {
  readonly targetGroupArn: string;
  readonly target: TargetRef;
  readonly state: TargetHealthState;
  readonly previous: TargetHealthState | undefined;
  readonly reason?: TargetHealthReason;
  /** elbv2's description, e.g. "Health checks failed with these codes: [500]". */
  readonly description?: string;
  readonly at: string;
}

/** One health check of a target ended (every check, not only those that change its state). */
export interface TargetCheckDone {
  readonly targetGroupArn: string;
  readonly taskId: string;
  readonly check: TargetHealthCheckView;
}

export interface LoadBalancerEvents {
  targetHealth: (change: TargetHealthChange) => void;
  /** Pushed per check so a health-check timeline grows as checks happen (no re-reading on a timer). */
  targetCheck: (done: TargetCheckDone) => void;
}

export interface LoadBalancerApi {
  /**
   * Starts a listener for the group on `listenHost:listenPort` (default 127.0.0.1 and the group's
   * Port); resolves once it accepts connections, rejects (EADDRINUSE named) when it cannot.
   */
  addTargetGroup(
    spec: TargetGroupSpec,
    listen?: { readonly host?: string; readonly port?: number },
  ): Promise<void>;
  /** Closes the listener (in-flight requests are cut after `graceMs`, default 0) and forgets the group. */
  removeTargetGroup(targetGroupArn: string, graceMs?: number): Promise<void>;
  /** RegisterTargets: the target starts `initial` and is health-checked from now on. Idempotent. */
  registerTarget(targetGroupArn: string, target: TargetRef): void;
  /**
   * DeregisterTargets: the target goes `draining` at once (no new requests), in-flight requests
   * complete; resolves when the deregistration delay has passed or the last in-flight request
   * ended, whichever is later-bounded: ELB waits the full delay unless nothing is in flight AND
   * the delay is 0 — Taskdeck waits the full delay like ELB (the scheduler stops the task after).
   */
  deregisterTarget(targetGroupArn: string, taskId: string): Promise<void>;
  /** The group with its targets, checks and history (for the UI and events). */
  describeTargetGroup(targetGroupArn: string): TargetGroupView | undefined;
  on<K extends keyof LoadBalancerEvents>(name: K, listener: LoadBalancerEvents[K]): () => void;
  /** Closes every listener and stops every health check. */
  close(): Promise<void>;
}
