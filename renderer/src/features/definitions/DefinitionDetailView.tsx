/** A saved definition: overview (containers, issues) and the JSON editor. */
import { useEffect, useRef, useState } from 'react';
import type { DefinitionDetail } from '../../../../contract/dto.js';
import { HostAccessNotice } from '../../components/HostAccessNotice.js';
import { IssueList } from '../../components/IssueList.js';
import { Tabs } from '../../components/Tabs.js';
import { errorToast, useToasts } from '../../components/Toasts.js';
import { useShortcut } from '../../app/shortcuts.js';
import { useDeleteDefinition, useDockerStatus, useSaveDefinition } from '../../queries/hooks.js';
import { navigate } from '../../app/router.js';
import { DefinitionGraph } from '../graph/DefinitionGraph.js';
import { ContainerCard } from './ContainerCard.js';
import { JsonEditor, type JsonEditorHandle } from './JsonEditor.js';
import { useLiveValidation } from './use-validation.js';

type Tab = 'overview' | 'graph' | 'json';

export function DefinitionDetailView({
  definition,
  onLaunch,
}: {
  definition: DefinitionDetail;
  onLaunch: () => void;
}) {
  const [tab, setTab] = useState<Tab>(definition.valid ? 'overview' : 'json');
  const docker = useDockerStatus();
  const remove = useDeleteDefinition();
  const { push } = useToasts();
  const canLaunch = definition.valid && docker.data?.connected === true;
  useShortcut('l', () => canLaunch && onLaunch(), canLaunch);
  const def = definition.definition;
  return (
    <div className="detail" data-testid="definition-detail">
      <header className="detail-header">
        <div>
          <div className="eyebrow">
            Task definition{definition.fileName ? ` · ${definition.fileName}` : ''}
          </div>
          <h1>
            {definition.family}
            {def && <span className="muted">:{def.revision}</span>}
          </h1>
          <div className="meta-row">
            {definition.valid ? (
              <span className="badge badge-ok badge-outline">valid</span>
            ) : (
              <span className="badge badge-error" data-testid="invalid-badge">
                {definition.errorCount} error{definition.errorCount === 1 ? '' : 's'}
              </span>
            )}
            {definition.warningCount > 0 && (
              <span className="badge badge-warn badge-outline">
                {definition.warningCount} warning{definition.warningCount === 1 ? '' : 's'}
              </span>
            )}
            {(def?.hostAccess?.length ?? 0) > 0 && (
              <span className="badge badge-warn" data-testid="host-access-badge">
                host access
              </span>
            )}
            {def && <span className="chip">{def.networkMode}</span>}
            {def?.cpu !== undefined && <span className="chip">{def.cpu} CPU</span>}
            {def?.memory !== undefined && <span className="chip">{def.memory} MiB</span>}
          </div>
        </div>
        <div className="actions">
          <button
            className="button button-danger-ghost"
            onClick={() => {
              if (!confirm(`Remove ${definition.family} from the library? Task history is kept.`)) return;
              remove.mutate(definition.id, {
                onSuccess: () => navigate({ name: 'definitions' }),
                onError: (e) => push(errorToast('Could not delete', e)),
              });
            }}
          >
            Delete
          </button>
          <button
            className="button button-primary"
            disabled={!canLaunch}
            title={
              !definition.valid
                ? 'Fix the validation errors first'
                : docker.data?.connected
                  ? 'Launch (l)'
                  : 'Docker is not connected'
            }
            onClick={onLaunch}
          >
            ▶ Launch
          </button>
        </div>
      </header>
      <Tabs<Tab>
        tabs={[
          { key: 'overview', label: 'Overview' },
          { key: 'graph', label: 'Graph' },
          { key: 'json', label: 'JSON' },
        ]}
        active={tab}
        onChange={setTab}
      />
      {tab === 'graph' ? (
        <div className="detail-body">
          <DefinitionGraph definition={definition} />
        </div>
      ) : tab === 'overview' ? (
        <div className="detail-body">
          <HostAccessNotice items={def?.hostAccess ?? []} />
          <IssueList
            errors={definition.errors}
            warnings={definition.warnings}
            onSelect={() => setTab('json')}
          />
          {def ? (
            <div className="container-grid">
              {def.containers.map((c) => (
                <ContainerCard key={c.name} container={c} />
              ))}
            </div>
          ) : (
            <p className="muted">This definition does not validate yet; open the JSON tab to fix it.</p>
          )}
        </div>
      ) : (
        <DefinitionEditor key={definition.id + definition.updatedAt} definition={definition} />
      )}
    </div>
  );
}

function DefinitionEditor({ definition }: { definition: DefinitionDetail }) {
  const [text, setText] = useState(definition.text);
  const editor = useRef<JsonEditorHandle>(null);
  const dirty = text !== definition.text;
  const live = useLiveValidation(text, definition.fileName);
  const save = useSaveDefinition();
  const { push } = useToasts();
  const shown = dirty && live ? live : definition;
  const first = shown.errors.find((e) => e.line !== undefined);
  useEffect(() => {
    if (!dirty && first?.line !== undefined) editor.current?.jumpToLine(first.line);
    // Only on open: jump to the first syntax error.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <div className="detail-body editor-layout">
      <div className="editor-toolbar">
        <span
          className={`validation-status${shown.errors.length ? ' text-error' : ''}`}
          data-testid="editor-status"
        >
          {dirty && !live
            ? 'Checking…'
            : shown.errors.length
              ? `${shown.errors.length} error(s)`
              : shown.warnings.length
                ? `Valid, ${shown.warnings.length} warning(s)`
                : 'Valid'}
        </span>
        <button className="button" disabled={!dirty} onClick={() => setText(definition.text)}>
          Revert
        </button>
        <button
          className="button button-primary"
          disabled={!dirty || save.isPending}
          onClick={() =>
            save.mutate(
              { kind: 'update', id: definition.id, text },
              {
                onSuccess: (d) => push({ kind: 'success', title: `Saved ${d.family}` }),
                onError: (e) => push(errorToast('Could not save', e)),
              },
            )
          }
        >
          Save
        </button>
      </div>
      <JsonEditor
        ref={editor}
        value={text}
        onChange={setText}
        label="Definition JSON"
        invalid={shown.errors.length > 0}
      />
      <IssueList
        errors={shown.errors}
        warnings={shown.warnings}
        onSelect={(i) => i.line !== undefined && editor.current?.jumpToLine(i.line)}
      />
    </div>
  );
}
