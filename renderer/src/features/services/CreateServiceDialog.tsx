/**
 * Create a service: the `create-service` JSON and the `create-target-group` JSON(s) it points to,
 * pasted, loaded from files, or prefilled from a library definition. Errors come back per JSON
 * path and are listed under the document they are in.
 */
import { useState } from 'react';
import { ApiCallError } from '../../../../contract/errors.js';
import { Dialog } from '../../components/Dialog.js';
import { IssueList } from '../../components/IssueList.js';
import { useApi } from '../../api/api-context.js';
import { useDefinitions } from '../../queries/hooks.js';
import { useCreateService } from '../../queries/service-hooks.js';
import { JsonEditor } from '../definitions/JsonEditor.js';
import { issuesFor, serviceExample } from './service-examples.js';

/** `Name` of a target group text, when it parses (for the listener-port field's label). */
function groupName(text: string): string | undefined {
  try {
    const name = (JSON.parse(text) as { Name?: unknown }).Name;
    return typeof name === 'string' && name !== '' ? name : undefined;
  } catch {
    return undefined;
  }
}

function FileButton({ onText, label }: { onText: (text: string) => void; label: string }) {
  return (
    <label className="button button-small">
      {label}
      <input
        type="file"
        accept=".json,application/json"
        hidden
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) file.text().then(onText, () => undefined);
          e.target.value = '';
        }}
      />
    </label>
  );
}

export function CreateServiceDialog({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (serviceName: string) => void;
}) {
  const { call } = useApi();
  const definitions = useDefinitions();
  const create = useCreateService();
  const [serviceText, setServiceText] = useState('');
  const [groups, setGroups] = useState<string[]>(['']);
  const [ports, setPorts] = useState<string[]>(['']);
  const [delay, setDelay] = useState('5');
  const [prefillError, setPrefillError] = useState<string | undefined>();

  const error = create.error instanceof ApiCallError ? create.error : undefined;
  const issues = error?.issues ?? [];
  const otherIssues = issues.filter((i) => !/^(service|targetGroups\[\d+\])([.[]|$)/.test(i.path));
  const valid = (definitions.data ?? []).filter((d) => d.valid);

  const prefill = (id: string) => {
    if (!id) return;
    setPrefillError(undefined);
    call('definitions:get', { id }).then(
      (detail) => {
        const example = detail.definition ? serviceExample(detail.definition) : undefined;
        if (!example) {
          setPrefillError(`${detail.family} maps no container port: a load balancer has nothing to send to.`);
          return;
        }
        setServiceText(example.serviceText);
        setGroups([example.targetGroupText]);
        setPorts(['']);
      },
      (err: Error) => setPrefillError(err.message),
    );
  };

  const submit = () => {
    const listen: Record<string, number> = {};
    groups.forEach((g, i) => {
      const name = groupName(g);
      const port = Number(ports[i]);
      if (name && ports[i]?.trim() && Number.isInteger(port)) listen[name] = port;
    });
    create.mutate(
      {
        serviceText,
        targetGroupTexts: groups.filter((g) => g.trim() !== ''),
        ...(Object.keys(listen).length ? { listen } : {}),
        ...(delay.trim() !== '' ? { deregistrationDelaySeconds: Number(delay) } : {}),
      },
      { onSuccess: (service) => onCreated(service.serviceName) },
    );
  };

  return (
    <Dialog
      title="Create a service"
      onClose={onClose}
      wide
      testId="create-service-dialog"
      footer={
        <>
          <span
            className={`validation-status${error ? ' text-error' : ''}`}
            data-testid="create-service-status"
          >
            {create.isPending
              ? 'Creating the service: starting listeners and tasks…'
              : (error?.message ??
                create.error?.message ??
                'Taskdeck validates both documents when you create.')}
          </span>
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            className="button button-primary"
            disabled={serviceText.trim() === '' || create.isPending}
            onClick={submit}
            data-testid="create-service-submit"
          >
            {create.isPending ? 'Creating…' : 'Create service'}
          </button>
        </>
      }
    >
      <div className="svc-create-top">
        <label className="field">
          <span>Prefill from a library definition</span>
          <select defaultValue="" onChange={(e) => prefill(e.target.value)} data-testid="service-prefill">
            <option value="">Choose a definition…</option>
            {valid.map((d) => (
              <option key={d.id} value={d.id}>
                {d.family}
                {d.fileName ? ` (${d.fileName})` : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="field field-narrow">
          <span>Deregistration delay (s)</span>
          <input
            value={delay}
            onChange={(e) => setDelay(e.target.value)}
            inputMode="numeric"
            placeholder="300"
            data-testid="service-delay"
          />
        </label>
      </div>
      {prefillError && <p className="text-error small">{prefillError}</p>}
      <div className="svc-doc-head">
        <strong>Service</strong>
        <span className="muted small">
          <code>aws ecs create-service --cli-input-json</code> — taskDefinition is{' '}
          <code>family:revision</code> from the library
        </span>
        <FileButton label="Load file…" onText={setServiceText} />
      </div>
      <div className="svc-issues">
        <IssueList errors={issuesFor(issues, 'service')} warnings={[]} />
      </div>
      <div data-testid="service-json">
        <JsonEditor
          value={serviceText}
          onChange={setServiceText}
          label="Service JSON"
          rows={12}
          invalid={issuesFor(issues, 'service').length > 0}
        />
      </div>
      {groups.map((text, i) => (
        <div key={i} className="svc-doc" data-testid={`target-group-json-${i}`}>
          <div className="svc-doc-head">
            <strong>Target group {groups.length > 1 ? i + 1 : ''}</strong>
            <span className="muted small">
              <code>aws elbv2 create-target-group --cli-input-json</code>
            </span>
            <FileButton
              label="Load file…"
              onText={(t) => setGroups((g) => g.map((x, j) => (j === i ? t : x)))}
            />
            {groups.length > 1 && (
              <button
                className="button button-small button-ghost"
                onClick={() => {
                  setGroups((g) => g.filter((_, j) => j !== i));
                  setPorts((p) => p.filter((_, j) => j !== i));
                }}
              >
                Remove
              </button>
            )}
          </div>
          <IssueList errors={issuesFor(issues, i)} warnings={[]} />
          <JsonEditor
            value={text}
            onChange={(t) => setGroups((g) => g.map((x, j) => (j === i ? t : x)))}
            label={`Target group ${i + 1} JSON`}
            rows={9}
            invalid={issuesFor(issues, i).length > 0}
          />
          <label className="field field-narrow">
            <span>Listener port{groupName(text) ? ` for ${groupName(text)}` : ''} (default: its Port)</span>
            <input
              value={ports[i] ?? ''}
              onChange={(e) =>
                setPorts((p) => groups.map((_, j) => (j === i ? e.target.value : (p[j] ?? ''))))
              }
              inputMode="numeric"
              placeholder="Port"
              data-testid={`listen-port-${i}`}
            />
          </label>
        </div>
      ))}
      <button
        className="button button-small"
        onClick={() => {
          setGroups((g) => [...g, '']);
          setPorts((p) => [...p, '']);
        }}
      >
        Add a target group
      </button>
      <div className="svc-issues">
        <IssueList errors={otherIssues} warnings={[]} />
      </div>
    </Dialog>
  );
}
