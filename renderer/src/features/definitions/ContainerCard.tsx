/** One container of a definition: image, command, ports, env (secrets masked), health, dependsOn. */
import { useState } from 'react';
import type { ContainerDefinitionView } from '../../../../contract/dto.js';

const SENSITIVE = /(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE|CREDENTIAL)/i;

/** Whether an environment variable's value should be hidden by default. */
export function isSensitiveName(name: string): boolean {
  return SENSITIVE.test(name);
}

export function ContainerCard({ container }: { container: ContainerDefinitionView }) {
  const [reveal, setReveal] = useState(false);
  const hasSensitive = container.environment.some((e) => isSensitiveName(e.name));
  return (
    <section className="card container-card" data-testid={`container-${container.name}`}>
      <header className="card-header">
        <h3>{container.name}</h3>
        <div className="card-badges">
          {container.essential ? (
            <span className="badge badge-accent">essential</span>
          ) : (
            <span className="badge badge-muted">non-essential</span>
          )}
        </div>
      </header>
      <dl className="kv">
        <dt>Image</dt>
        <dd className="mono">{container.image}</dd>
        {container.entryPoint && (
          <>
            <dt>Entry point</dt>
            <dd className="mono">{JSON.stringify(container.entryPoint)}</dd>
          </>
        )}
        <dt>Command</dt>
        <dd className="mono">
          {container.command ? (
            JSON.stringify(container.command)
          ) : (
            <span className="muted">image default</span>
          )}
        </dd>
        <dt>Resources</dt>
        <dd>
          {container.cpu} CPU units
          {container.memory !== undefined && ` · ${container.memory} MiB hard`}
          {container.memoryReservation !== undefined && ` · ${container.memoryReservation} MiB soft`}
        </dd>
        <dt>Ports</dt>
        <dd>
          {container.portMappings.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            container.portMappings.map((p, i) => (
              <span key={i} className="chip mono">
                {p.hostPort ? `${p.hostPort}→` : 'dynamic→'}
                {p.containerPort}/{p.protocol}
              </span>
            ))
          )}
        </dd>
        <dt>Depends on</dt>
        <dd>
          {container.dependsOn.length === 0 ? (
            <span className="muted">nothing</span>
          ) : (
            container.dependsOn.map((d, i) => (
              <span key={i} className="chip">
                {d.containerName} <strong>{d.condition}</strong>
              </span>
            ))
          )}
        </dd>
        <dt>Health check</dt>
        <dd>
          {container.healthCheck ? (
            <>
              <span className="mono">{JSON.stringify(container.healthCheck.command)}</span>
              <div className="muted small">
                every {container.healthCheck.interval}s · timeout {container.healthCheck.timeout}s ·{' '}
                {container.healthCheck.retries} retries · start period {container.healthCheck.startPeriod}s
              </div>
            </>
          ) : (
            <span className="muted">none</span>
          )}
        </dd>
      </dl>
      {(container.environment.length > 0 || container.secrets.length > 0) && (
        <div className="env">
          <div className="env-header">
            <h4>Environment</h4>
            {hasSensitive && (
              <button className="button button-small button-ghost" onClick={() => setReveal((r) => !r)}>
                {reveal ? 'Hide values' : 'Reveal values'}
              </button>
            )}
          </div>
          <table className="table table-compact">
            <tbody>
              {container.environment.map((e) => (
                <tr key={`env-${e.name}`}>
                  <td className="mono">{e.name}</td>
                  <td className="mono">
                    {isSensitiveName(e.name) && !reveal ? (
                      <span className="masked" title="Hidden">
                        ••••••••
                      </span>
                    ) : (
                      e.value
                    )}
                  </td>
                </tr>
              ))}
              {container.secrets.map((s) => (
                <tr key={`secret-${s.name}`}>
                  <td className="mono">{s.name}</td>
                  <td>
                    <span className="badge badge-muted">secret</span>{' '}
                    <span className="mono muted">{s.valueFrom}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
