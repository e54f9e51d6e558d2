/** Small service pieces shared by the list and the detail page. */
import type { RolloutState, ServiceView, TargetHealthState } from '../../../../contract/service-dto.js';
import { serviceCounts } from './service-model.js';

export function RolloutBadge({ state }: { state: RolloutState }) {
  const tone = state === 'COMPLETED' ? 'ok' : state === 'FAILED' ? 'error' : 'progress';
  return (
    <span className={`badge badge-${tone}`} data-rollout={state}>
      {state === 'IN_PROGRESS' ? <span className="spinner-dot" aria-hidden /> : null}
      {state}
    </span>
  );
}

export function TargetStateBadge({ state }: { state: TargetHealthState }) {
  const tone =
    state === 'healthy' ? 'ok' : state === 'unhealthy' ? 'error' : state === 'draining' ? 'warn' : 'muted';
  return (
    <span className={`badge badge-${tone} badge-outline`} data-target-state={state}>
      {state}
    </span>
  );
}

/** "1 desired · 1 running · 0 pending" as three compact figures. */
export function CountsCell({ service }: { service: ServiceView }) {
  const c = serviceCounts(service);
  return (
    <span className="svc-counts" data-testid="service-counts">
      <span title="Desired">
        <strong data-count="desired">{c.desired}</strong> desired
      </span>
      <span title="Running">
        <strong data-count="running">{c.running}</strong> running
      </span>
      <span title="Pending">
        <strong data-count="pending">{c.pending}</strong> pending
      </span>
    </span>
  );
}
