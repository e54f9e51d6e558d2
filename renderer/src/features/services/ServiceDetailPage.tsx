/**
 * One service: counts and what it waits for, scale / update / delete, and tabs for its
 * deployments (table + per-task timeline), target groups (health timeline) and events.
 */
import { useState } from 'react';
import { Tabs } from '../../components/Tabs.js';
import { formatTime } from '../../components/format.js';
import { useService } from '../../queries/service-hooks.js';
import { DeploymentTimeline } from './DeploymentTimeline.js';
import { DeploymentsTable } from './DeploymentsTable.js';
import { CountsCell } from './ServiceBadges.js';
import { DeleteServiceButton, ScaleControl, UpdateRevisionControl } from './ServiceActions.js';
import { ServiceEvents } from './ServiceEvents.js';
import { TargetGroupPanel } from './TargetGroupPanel.js';
import { isSteady, shortDefinitionRef, waitingLine } from './service-model.js';

type Tab = 'deployments' | 'targets' | 'events';

export function ServiceDetailPage({ serviceName }: { serviceName: string }) {
  const query = useService(serviceName);
  const [tab, setTab] = useState<Tab>('deployments');
  const service = query.data;

  if (query.isError) {
    return (
      <div className="page" data-testid="service-detail">
        <a href="#/services" className="back-link">
          ← Services
        </a>
        <p className="text-error" data-testid="service-missing">
          {query.error.message}
        </p>
      </div>
    );
  }
  if (!service) return <div className="page muted">Loading…</div>;
  const waiting = waitingLine(service);
  const gone = service.status === 'INACTIVE';

  return (
    <div className="page service-detail" data-testid="service-detail" data-service={service.serviceName}>
      <a href="#/services" className="back-link">
        ← Services
      </a>
      <header className="page-header svc-header">
        <h1>{service.serviceName}</h1>
        <span
          className={`badge badge-${service.status === 'ACTIVE' ? 'ok' : 'warn'}`}
          data-testid="service-status"
        >
          {service.status}
        </span>
        <span className="mono muted">{shortDefinitionRef(service.taskDefinition)}</span>
        <span className="muted small">created {formatTime(service.createdAt)}</span>
      </header>
      <section className="card svc-summary">
        <CountsCell service={service} />
        <div
          className={`svc-waiting${waiting ? '' : ' svc-waiting-steady'}`}
          data-testid="service-waiting"
          data-steady={isSteady(service) ? 'true' : 'false'}
        >
          {waiting ? (
            <>
              <span className="svc-waiting-label">Waiting for</span> {waiting}
            </>
          ) : (
            'Steady state: every desired task is running and healthy.'
          )}
        </div>
        {service.status === 'ACTIVE' && (
          <div className="svc-actions">
            <ScaleControl service={service} />
            <UpdateRevisionControl service={service} />
            <DeleteServiceButton service={service} />
          </div>
        )}
      </section>
      <Tabs<Tab>
        tabs={[
          { key: 'deployments', label: `Deployments (${service.deployments.length})` },
          { key: 'targets', label: `Target groups (${service.targetGroups.length})` },
          { key: 'events', label: `Events (${service.events.length})` },
        ]}
        active={tab}
        onChange={setTab}
      />
      <div className="tab-body">
        {tab === 'deployments' && (
          <>
            <DeploymentsTable deployments={service.deployments} />
            <DeploymentTimeline service={service} />
          </>
        )}
        {tab === 'targets' &&
          (service.targetGroups.length ? (
            service.targetGroups.map((g) => (
              <TargetGroupPanel key={g.targetGroupArn} group={g} live={!gone} />
            ))
          ) : (
            <p className="muted">This service has no load balancer.</p>
          ))}
        {tab === 'events' && <ServiceEvents events={service.events} />}
      </div>
    </div>
  );
}
