/**
 * Network and endpoints inspector: network mode, ENI attachment (awsvpc), port bindings as links,
 * and per container the metadata v4 documents it sees plus the credentials status (never values).
 */
import { useState } from 'react';
import type { TaskDetail } from '../../../../contract/dto.js';
import { formatTime } from '../../components/format.js';
import { JsonTree } from '../../components/JsonTree.js';
import { useContainerEndpoints } from '../../queries/insight-hooks.js';
import { eniViews, metadataNetworkField, portLinks } from './network-model.js';

type Doc = 'root' | 'task' | 'stats';

export function NetworkInspector({ task }: { task: TaskDetail }) {
  const [container, setContainer] = useState(task.containers[0]?.name);
  const [doc, setDoc] = useState<Doc>('root');
  const endpoints = useContainerEndpoints(task.taskId, container);
  const enis = eniViews(task);
  const ports = portLinks(task);
  const view = endpoints.data;
  const gateway = metadataNetworkField(view?.root, 'SubnetGatewayIpv4Address');
  const cidr = metadataNetworkField(view?.root, 'IPv4SubnetCIDRBlock');
  return (
    <div className="network" data-testid="network-inspector">
      <div className="network-top">
        <section className="card">
          <h3 className="card-title">Network</h3>
          <dl className="kv kv-grid">
            <dt>Mode</dt>
            <dd>
              <span className="chip" data-testid="network-mode">
                {task.networkMode}
              </span>
            </dd>
            {task.networkMode !== 'awsvpc' && (
              <>
                <dt>ENI</dt>
                <dd className="muted">Only awsvpc tasks get an ENI attachment.</dd>
              </>
            )}
          </dl>
          {enis.map((eni) => (
            <dl key={eni.id} className="kv kv-grid eni" data-testid="eni">
              <dt>Attachment</dt>
              <dd className="mono">
                {eni.id} <span className="badge badge-ok badge-outline badge-small">{eni.status}</span>
              </dd>
              {eni.fields.map((f) => (
                <FieldRow key={f.name} label={f.label} name={f.name} value={f.value} />
              ))}
              {gateway && !eni.fields.some((f) => f.name === 'subnetGatewayIpv4Address') && (
                <FieldRow label="Gateway" name="subnetGatewayIpv4Address" value={gateway} />
              )}
              {cidr && !eni.fields.some((f) => f.name === 'subnetCidrBlock') && (
                <FieldRow label="Subnet CIDR" name="subnetCidrBlock" value={cidr} />
              )}
            </dl>
          ))}
        </section>
        <section className="card">
          <h3 className="card-title">Port bindings</h3>
          {ports.length === 0 ? (
            <p className="muted small">
              No published ports. Add portMappings to reach a container from this machine.
            </p>
          ) : (
            <table className="table table-compact" aria-label="Port bindings">
              <thead>
                <tr>
                  <th>Container</th>
                  <th>Container port</th>
                  <th>Host</th>
                </tr>
              </thead>
              <tbody>
                {ports.map((p) => (
                  <tr key={`${p.container}:${p.containerPort}/${p.protocol}:${p.text}`}>
                    <td>{p.container}</td>
                    <td className="mono">
                      {p.containerPort}/{p.protocol}
                    </td>
                    <td className="mono">
                      {p.url ? (
                        <a href={p.url} target="_blank" rel="noreferrer noopener" data-testid="port-link">
                          {p.text} ↗
                        </a>
                      ) : (
                        p.text
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <section className="card">
        <div className="card-header">
          <h3 className="card-title">Metadata endpoint (v4) as seen from</h3>
          <select
            aria-label="Container"
            value={container}
            onChange={(e) => setContainer(e.target.value)}
            data-testid="endpoint-container"
          >
            {task.containers.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
          <span className="toolbar-spacer" />
          <button
            className="button button-small"
            onClick={() => endpoints.refetch()}
            disabled={endpoints.isFetching}
          >
            {endpoints.isFetching ? 'Loading…' : 'Reload'}
          </button>
        </div>
        {endpoints.isError ? (
          <p className="text-error">{endpoints.error.message}</p>
        ) : !view ? (
          <p className="muted">Loading…</p>
        ) : view.unavailable ? (
          <p className="muted" data-testid="endpoints-unavailable">
            {view.unavailable}
          </p>
        ) : (
          <>
            <dl className="kv kv-grid">
              <dt>ECS_CONTAINER_METADATA_URI_V4</dt>
              <dd className="mono">{view.metadataUri ?? '—'}</dd>
              <dt>Credentials</dt>
              <dd data-testid="credentials-status">
                {view.credentials ? (
                  <>
                    <div className="mono">{view.credentials.roleArn}</div>
                    <div className="muted small">
                      via {view.credentials.source}
                      {view.credentials.profile ? ` (profile ${view.credentials.profile})` : ''} ·{' '}
                      {view.credentials.relativeUri}
                      {view.credentials.expiration
                        ? ` · expires ${formatTime(view.credentials.expiration)}`
                        : ''}
                    </div>
                    {view.credentials.error && (
                      <div className="text-error small">{view.credentials.error}</div>
                    )}
                  </>
                ) : (
                  <span className="muted">
                    No task role: the credentials endpoint is not offered to this task.
                  </span>
                )}
              </dd>
            </dl>
            <div className="segmented" role="group" aria-label="Document">
              {(['root', 'task', 'stats'] as const).map((d) => (
                <button
                  key={d}
                  className={doc === d ? 'segmented-on' : ''}
                  aria-pressed={doc === d}
                  onClick={() => setDoc(d)}
                >
                  {d === 'root' ? '${URI}' : `\${URI}/${d}`}
                </button>
              ))}
            </div>
            <JsonTree value={view[doc] ?? null} label={`${container} ${doc} document`} />
          </>
        )}
      </section>
    </div>
  );
}

function FieldRow({ label, name, value }: { label: string; name: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className="mono" data-testid={`eni-${name}`}>
        {value}
      </dd>
    </>
  );
}
