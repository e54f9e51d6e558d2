/**
 * Which target gets the next request (pure): round robin over the healthy targets; ALB's
 * fail-open when none is healthy ("If a target group contains only unhealthy registered targets,
 * the load balancer routes requests to all those targets, regardless of their health status"):
 * then every registered target that is not draining (initial or unhealthy) takes traffic.
 * Draining and unused targets never get a new request.
 */
import type { TargetHealthState } from '../../../contract/service-dto.js';

/** What routing needs of a target. */
export interface RoutableTarget {
  readonly state: TargetHealthState;
}

/** The targets eligible for new requests, in registration order. */
export function eligibleTargets<T extends RoutableTarget>(targets: readonly T[]): readonly T[] {
  const healthy = targets.filter((t) => t.state === 'healthy');
  if (healthy.length > 0) return healthy;
  return targets.filter((t) => t.state === 'initial' || t.state === 'unhealthy');
}

/** Round robin: the target after `cursor` among the eligible ones, and the next cursor. */
export function pickTarget<T extends RoutableTarget>(
  targets: readonly T[],
  cursor: number,
): { readonly target: T; readonly cursor: number } | undefined {
  const eligible = eligibleTargets(targets);
  if (eligible.length === 0) return undefined;
  const next = (cursor + 1) % eligible.length;
  return { target: eligible[next]!, cursor: next };
}
