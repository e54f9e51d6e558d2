/** Every ECS service this Taskdeck runs: counts, rollout and why it waits. Updates arrive by push. */
import { useState } from 'react';
import { navigate } from '../../app/router.js';
import { EmptyState } from '../../components/EmptyState.js';
import { useServices } from '../../queries/service-hooks.js';
import { CreateServiceDialog } from './CreateServiceDialog.js';
import { CountsCell, RolloutBadge } from './ServiceBadges.js';
import { primaryDeployment, shortDefinitionRef, waitingLine } from './service-model.js';

export function ServicesPage() {
  const services = useServices();
  const [creating, setCreating] = useState(false);
  const list = services.data ?? [];
  const dialog = creating ? (
    <CreateServiceDialog
      onClose={() => setCreating(false)}
      onCreated={(name) => {
        setCreating(false);
        navigate({ name: 'services', id: name });
      }}
    />
  ) : null;
  const create = (
    <button className="button button-primary" onClick={() => setCreating(true)} data-testid="create-service">
      Create service
    </button>
  );

  if (services.isSuccess && list.length === 0) {
    return (
      <div className="page" data-testid="services-page">
        <EmptyState title="No services yet" actions={create}>
          <p>
            A service keeps a number of tasks running behind a local load balancer, replaces the ones that
            stop or fail their health checks, and rolls out new revisions without dropping a request. Paste
            your <code>create-service</code> and <code>create-target-group</code> JSON to start one.
          </p>
        </EmptyState>
        {dialog}
      </div>
    );
  }

  return (
    <div className="page services-page" data-testid="services-page">
      <header className="page-header">
        <h1>Services</h1>
        <span className="muted">
          {list.length} service{list.length === 1 ? '' : 's'}
        </span>
        <div className="page-header-actions">{create}</div>
      </header>
      {services.isError && <p className="text-error">{services.error.message}</p>}
      <div className="table-wrap">
        <table className="table table-hover" aria-label="Services">
          <thead>
            <tr>
              <th>Service</th>
              <th>Tasks</th>
              <th>Task definition</th>
              <th>Deployment</th>
              <th>Waiting for</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => {
              const primary = primaryDeployment(s);
              const waiting = waitingLine(s);
              const open = () => navigate({ name: 'services', id: s.serviceName });
              return (
                <tr
                  key={s.serviceName}
                  data-testid="service-row"
                  data-service={s.serviceName}
                  tabIndex={0}
                  onClick={open}
                  onKeyDown={(e) => e.key === 'Enter' && open()}
                >
                  <td>
                    <a
                      href={`#/services/${encodeURIComponent(s.serviceName)}`}
                      className="strong-link"
                      onClick={(e) => e.stopPropagation()}
                    >
                      {s.serviceName}
                    </a>
                    {s.status !== 'ACTIVE' && (
                      <span className="badge badge-warn badge-small">{s.status}</span>
                    )}
                  </td>
                  <td>
                    <CountsCell service={s} />
                  </td>
                  <td className="mono">{shortDefinitionRef(s.taskDefinition)}</td>
                  <td>{primary ? <RolloutBadge state={primary.rolloutState} /> : '—'}</td>
                  <td className="muted small">{waiting ?? 'Steady state'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {dialog}
    </div>
  );
}
