/**
 * Pure dependsOn resolution (semantics §4): given one container and the state of all of them,
 * say whether it may be created now, must wait (and why), or never can.
 */
import type { DependencyWait, HealthStatus } from '../../contract/dto.js';
import type { ContainerDependency } from '../task-definition/model.js';

/** What resolution needs to know about an upstream container. */
export interface UpstreamState {
  readonly name: string;
  /** Set once the container has started (Docker `start`). */
  readonly startedAt?: number;
  /** Set once the container has exited. */
  readonly exitCode?: number;
  readonly exited: boolean;
  /** Set when the container will never start (its own failure). */
  readonly failedReason?: string;
  readonly healthStatus: HealthStatus;
  /** Number of failed probes so far (for the "why" text). */
  readonly failedProbes: number;
  /** Seconds; applies to COMPLETE/SUCCESS/HEALTHY dependents, counted from startedAt. */
  readonly startTimeout?: number;
  readonly hasHealthCheck: boolean;
}

export type Resolution =
  | { readonly kind: 'resolved'; readonly waits: readonly DependencyWait[] }
  | {
      readonly kind: 'blocked';
      readonly waits: readonly DependencyWait[];
      readonly reason: string;
      readonly nextDeadline?: number;
    }
  | { readonly kind: 'impossible'; readonly waits: readonly DependencyWait[]; readonly reason: string };

type One =
  | { readonly state: 'met' }
  | { readonly state: 'waiting'; readonly detail: string; readonly deadline?: number }
  | { readonly state: 'failed'; readonly detail: string };

function secondsSince(startedAt: number, now: number): number {
  return Math.max(0, Math.floor((now - startedAt) / 1000));
}

/** Evaluates one dependency against its upstream at time `now` (ms since epoch). */
export function evaluateDependency(
  dep: ContainerDependency,
  up: UpstreamState | undefined,
  now: number,
): One {
  if (!up) return { state: 'failed', detail: `container ${dep.containerName} does not exist in the task` };
  const condition = dep.condition;
  if (condition === 'START') {
    if (up.startedAt !== undefined || up.exited) return { state: 'met' };
    if (up.failedReason) return { state: 'failed', detail: `${up.name} never started (${up.failedReason})` };
    return { state: 'waiting', detail: `waiting for ${up.name} to start` };
  }
  // COMPLETE / SUCCESS / HEALTHY
  if (condition === 'COMPLETE' && up.exited) return { state: 'met' };
  if (condition === 'SUCCESS' && up.exited) {
    return up.exitCode === 0
      ? { state: 'met' }
      : {
          state: 'failed',
          detail: `${up.name} exited with code ${up.exitCode ?? 'unknown'}, SUCCESS requires 0`,
        };
  }
  if (condition === 'HEALTHY') {
    if (up.healthStatus === 'HEALTHY') return { state: 'met' };
    if (!up.hasHealthCheck)
      return { state: 'failed', detail: `${up.name} has no healthCheck, so it can never be HEALTHY` };
    if (up.exited)
      return {
        state: 'failed',
        detail: `${up.name} exited with code ${up.exitCode ?? 'unknown'} before becoming HEALTHY`,
      };
  }
  if (up.failedReason) return { state: 'failed', detail: `${up.name} never started (${up.failedReason})` };
  const what =
    condition === 'HEALTHY'
      ? `${up.name}: HEALTHY${up.startedAt !== undefined ? ` — ${up.failedProbes} failed probe${up.failedProbes === 1 ? '' : 's'}` : ' — not started yet'}`
      : condition === 'SUCCESS'
        ? `${up.name}: SUCCESS — waiting for it to exit 0`
        : `${up.name}: COMPLETE — waiting for it to exit`;
  if (up.startedAt !== undefined && up.startTimeout !== undefined) {
    const deadline = up.startedAt + up.startTimeout * 1000;
    if (now >= deadline) {
      return {
        state: 'failed',
        detail: `${up.name} timed out after startTimeout ${up.startTimeout} s waiting for ${condition}`,
      };
    }
    return {
      state: 'waiting',
      detail: `${what}, ${secondsSince(up.startedAt, now)} s of startTimeout ${up.startTimeout} s`,
      deadline,
    };
  }
  return { state: 'waiting', detail: what };
}

/** Resolves every dependency of a container; the first failure makes it impossible. */
export function resolveDependencies(
  dependsOn: readonly ContainerDependency[],
  upstreams: ReadonlyMap<string, UpstreamState>,
  now: number,
  previous: readonly DependencyWait[] = [],
): Resolution {
  const waits: DependencyWait[] = [];
  let failed: string | undefined;
  let blocked: string | undefined;
  let nextDeadline: number | undefined;
  for (const dep of dependsOn) {
    const result = evaluateDependency(dep, upstreams.get(dep.containerName), now);
    const before = previous.find(
      (p) => p.containerName === dep.containerName && p.condition === dep.condition,
    );
    const at = before && before.state === result.state ? before.at : new Date(now).toISOString();
    switch (result.state) {
      case 'met':
        waits.push({
          containerName: dep.containerName,
          condition: dep.condition,
          state: 'met',
          detail: `${dep.containerName}: ${dep.condition} met`,
          at,
        });
        break;
      case 'waiting':
        waits.push({
          containerName: dep.containerName,
          condition: dep.condition,
          state: 'waiting',
          detail: result.detail,
        });
        blocked ??= result.detail;
        if (result.deadline !== undefined) nextDeadline = Math.min(nextDeadline ?? Infinity, result.deadline);
        break;
      case 'failed':
        waits.push({
          containerName: dep.containerName,
          condition: dep.condition,
          state: 'failed',
          detail: result.detail,
          at,
        });
        failed ??= `dependency graph: ${dep.containerName} ${dep.condition} failed: ${result.detail}`;
        break;
    }
  }
  if (failed) return { kind: 'impossible', waits, reason: failed };
  if (blocked)
    return {
      kind: 'blocked',
      waits,
      reason: blocked,
      ...(nextDeadline !== undefined ? { nextDeadline } : {}),
    };
  return { kind: 'resolved', waits };
}
