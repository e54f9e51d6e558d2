/** DescribeServices `deployments[]`: PRIMARY first, with rollout state, reason and counts. */
import type { DeploymentView } from '../../../../contract/service-dto.js';
import { formatTime } from '../../components/format.js';
import { RolloutBadge } from './ServiceBadges.js';
import { shortDefinitionRef } from './service-model.js';

export function DeploymentsTable({ deployments }: { deployments: readonly DeploymentView[] }) {
  return (
    <div className="table-wrap">
      <table className="table table-compact" aria-label="Deployments" data-testid="deployments-table">
        <thead>
          <tr>
            <th>Deployment</th>
            <th>Status</th>
            <th>Rollout</th>
            <th className="num">Desired</th>
            <th className="num">Running</th>
            <th className="num">Pending</th>
            <th className="num">Failed</th>
            <th>Task definition</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {deployments.map((d) => (
            <tr
              key={d.id}
              data-testid="deployment-row"
              data-status={d.status}
              data-rollout={d.rolloutState}
              data-deployment-id={d.id}
            >
              <td className="mono small" title={d.id}>
                {d.id.replace(/^ecs-svc\//, '')}
              </td>
              <td>
                <span
                  className={`badge badge-small ${d.status === 'PRIMARY' ? 'badge-accent' : 'badge-muted'}`}
                >
                  {d.status}
                </span>
              </td>
              <td>
                <RolloutBadge state={d.rolloutState} />
                {d.rolloutStateReason && <div className="muted small svc-reason">{d.rolloutStateReason}</div>}
                {d.waitingFor && d.rolloutState === 'IN_PROGRESS' && (
                  <div className="svc-reason svc-waiting-inline" data-testid="deployment-waiting">
                    {d.waitingFor}
                  </div>
                )}
              </td>
              <td className="num tabular">{d.desiredCount}</td>
              <td className="num tabular">{d.runningCount}</td>
              <td className="num tabular">{d.pendingCount}</td>
              <td className={`num tabular${d.failedTasks ? ' text-error' : ''}`}>
                {d.failedTasks}
                {d.failureThreshold !== undefined && <span className="muted"> / {d.failureThreshold}</span>}
              </td>
              <td className="mono">{shortDefinitionRef(d.taskDefinition)}</td>
              <td className="nowrap">{formatTime(d.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
