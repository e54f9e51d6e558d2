/** Scale (desired count), update to another library revision / force a new deployment, delete. */
import { useState } from 'react';
import type { ServiceView } from '../../../../contract/service-dto.js';
import { useDefinitions } from '../../queries/hooks.js';
import { useDefinitionDetails, useDeleteService, useUpdateService } from '../../queries/service-hooks.js';
import { defaultRevisionChoice, parseDefinitionRef, revisionChoices } from './service-model.js';

export function ScaleControl({ service }: { service: ServiceView }) {
  const update = useUpdateService();
  // What the user typed; untouched, the field follows the service's desired count.
  const [draft, setValue] = useState<string | undefined>();
  const value = draft ?? String(service.desiredCount);
  const n = Number(value);
  const validCount = value.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= 100;
  const apply = () =>
    validCount &&
    update.mutate(
      { serviceName: service.serviceName, desiredCount: n },
      { onSuccess: () => setValue(undefined) },
    );
  return (
    <div className="svc-action" data-testid="scale-control">
      <label className="svc-action-label" htmlFor="svc-desired">
        Desired tasks
      </label>
      <div className="button-row">
        <input
          id="svc-desired"
          className="svc-count-input"
          value={value}
          inputMode="numeric"
          onChange={(e) => setValue(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && apply()}
          aria-invalid={!validCount}
          data-testid="desired-count"
        />
        <button
          className="button button-small"
          disabled={!validCount || n === service.desiredCount || update.isPending}
          onClick={apply}
          data-testid="scale-apply"
        >
          {update.isPending ? 'Scaling…' : 'Scale'}
        </button>
      </div>
      {update.error && <div className="text-error small">{update.error.message}</div>}
    </div>
  );
}

export function UpdateRevisionControl({ service }: { service: ServiceView }) {
  const update = useUpdateService();
  const definitions = useDefinitions();
  const { family } = parseDefinitionRef(service.taskDefinition);
  const sameFamily = (definitions.data ?? []).filter((d) => d.valid && d.family === family);
  const details = useDefinitionDetails(sameFamily.map((d) => d.id));
  const choices = revisionChoices(
    service.taskDefinition,
    details.flatMap((q) =>
      q.data
        ? [
            {
              id: q.data.id,
              family: q.data.family,
              valid: q.data.valid,
              revision: q.data.definition?.revision,
            },
          ]
        : [],
    ),
    service.failedTaskDefinitions,
  );
  const [picked, setPicked] = useState('');
  // A revision that just failed and was rolled back is listed, but never offered first.
  const target = choices.find((c) => c.definitionId === picked) ?? defaultRevisionChoice(choices);
  return (
    <div className="svc-action" data-testid="update-control">
      <span className="svc-action-label">Deploy</span>
      <div className="button-row">
        <select
          value={target?.definitionId ?? ''}
          onChange={(e) => setPicked(e.target.value)}
          aria-label="Revision to deploy"
          data-testid="revision-select"
          disabled={choices.length === 0}
        >
          {choices.length === 0 && <option value="">No {family} revision in the library</option>}
          {choices.length > 0 && !target && <option value="">Choose a revision…</option>}
          {choices.map((c) => (
            <option key={c.definitionId} value={c.definitionId}>
              {c.family}:{c.revision}
              {c.current ? ' (current)' : ''}
              {c.failed && !c.current ? ' (failed, rolled back)' : ''}
            </option>
          ))}
        </select>
        <button
          className="button button-small button-primary"
          disabled={!target || target.current || update.isPending}
          onClick={() =>
            target &&
            update.mutate(
              { serviceName: service.serviceName, definitionId: target.definitionId },
              // Deployed: the pick is spent; the picker offers what comes next again.
              { onSuccess: () => setPicked('') },
            )
          }
          data-testid="update-revision"
        >
          {target && !target.current ? `Update to revision ${target.revision}` : 'Update'}
        </button>
        <button
          className="button button-small"
          disabled={update.isPending}
          onClick={() => update.mutate({ serviceName: service.serviceName, forceNewDeployment: true })}
          title="Start a new deployment of the same revision (replaces every task)"
          data-testid="force-deployment"
        >
          Force new deployment
        </button>
      </div>
      {update.error && <div className="text-error small">{update.error.message}</div>}
    </div>
  );
}

export function DeleteServiceButton({ service }: { service: ServiceView }) {
  const remove = useDeleteService();
  const [confirming, setConfirming] = useState(false);
  const draining = service.status === 'DRAINING';
  return (
    <div className="svc-action svc-action-end">
      <span className="svc-action-label">&nbsp;</span>
      {confirming && !draining ? (
        <div className="button-row">
          <button
            className="button button-small button-danger"
            onClick={() => remove.mutate(service.serviceName, { onSettled: () => setConfirming(false) })}
            data-testid="delete-service-confirm"
          >
            Drain and delete
          </button>
          <button className="button button-small" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </div>
      ) : (
        <button
          className="button button-small button-danger-ghost"
          disabled={draining || remove.isPending}
          onClick={() => setConfirming(true)}
          data-testid="delete-service"
          title="Deregister and drain every target, stop every task, close the listeners"
        >
          {draining ? 'Deleting…' : 'Delete service'}
        </button>
      )}
      {remove.error && <div className="text-error small">{remove.error.message}</div>}
    </div>
  );
}
