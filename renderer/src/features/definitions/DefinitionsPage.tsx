/** The definitions library: list on the left, the selected definition on the right. */
import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { navigate } from '../../app/router.js';
import { useShortcut } from '../../app/shortcuts.js';
import { EmptyState } from '../../components/EmptyState.js';
import { Kbd } from '../../components/Kbd.js';
import { useDefinition, useDefinitions } from '../../queries/hooks.js';
import { LaunchDialog } from '../launch/LaunchDialog.js';
import { DefinitionDetailView } from './DefinitionDetailView.js';
import { PasteDialog } from './PasteDialog.js';
import { useImport } from './use-import.js';
import { errorToast, useToasts } from '../../components/Toasts.js';

export function DefinitionsPage({ selectedId }: { selectedId: string | undefined }) {
  const list = useDefinitions();
  const detail = useDefinition(selectedId);
  const { importText, importFiles, importExample, saving } = useImport();
  const { push } = useToasts();
  // The import functions report their own failures; this catches the rest (e.g. a file that
  // cannot be read) so nothing becomes an unhandled rejection.
  const importFailed = (err: unknown) => push(errorToast('Import failed', err));
  const fileInput = useRef<HTMLInputElement>(null);
  const [pasting, setPasting] = useState(false);
  const [launching, setLaunching] = useState(false);
  const [dragging, setDragging] = useState(false);
  const items = useMemo(() => list.data ?? [], [list.data]);

  useEffect(() => {
    const first = items[0];
    if (selectedId === undefined && first) navigate({ name: 'definitions', id: first.id });
  }, [selectedId, items]);

  const index = items.findIndex((d) => d.id === selectedId);
  useShortcut('o', () => fileInput.current?.click());
  useShortcut('p', () => setPasting(true));
  useShortcut('j', () => {
    const next = items[Math.min(items.length - 1, index + 1)];
    if (next) navigate({ name: 'definitions', id: next.id });
  });
  useShortcut('k', () => {
    const prev = items[Math.max(0, index - 1)];
    if (prev) navigate({ name: 'definitions', id: prev.id });
  });

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length > 0) importFiles(e.dataTransfer.files).catch(importFailed);
    else {
      const text = e.dataTransfer.getData('text/plain');
      if (text.trim()) importText(text).catch(importFailed);
    }
  };

  const importButtons = (
    <>
      <button className="button" onClick={() => fileInput.current?.click()} title="Import file (o)">
        Import file…
      </button>
      <button className="button" onClick={() => setPasting(true)} title="Paste JSON (p)">
        Paste JSON
      </button>
    </>
  );

  return (
    <div
      className={`page definitions-page${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        if (!dragging) setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
      data-testid="definitions-page"
    >
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        multiple
        hidden
        data-testid="definition-file-input"
        onChange={(e) => {
          if (e.target.files) importFiles(e.target.files).catch(importFailed);
          e.target.value = '';
        }}
      />
      {dragging && (
        <div className="drop-overlay" aria-hidden>
          <div>Drop task definition JSON files to import them</div>
        </div>
      )}
      {list.isSuccess && items.length === 0 ? (
        <EmptyState
          title="Your task definition library is empty"
          actions={
            <>
              <button className="button button-primary" onClick={() => importExample().catch(importFailed)}>
                Add an example definition
              </button>
              {importButtons}
            </>
          }
        >
          <p>
            Import an Amazon ECS task definition and run it on your local Docker — the same JSON you give{' '}
            <code>aws ecs register-task-definition</code>, the output of <code>describe-task-definition</code>
            , or a Terraform <code>container_definitions</code> array.
          </p>
          <p className="muted">
            Drag and drop files anywhere on this page, press <Kbd>o</Kbd> to pick a file or <Kbd>p</Kbd> to
            paste.
          </p>
        </EmptyState>
      ) : (
        <div className="split">
          <aside className="list-pane">
            <div className="list-pane-header">
              <h2>Definitions</h2>
              <div className="button-row">{importButtons}</div>
            </div>
            <ul className="item-list" aria-label="Definitions">
              {items.map((d) => (
                <li key={d.id}>
                  <a
                    href={`#/definitions/${d.id}`}
                    className={`item${d.id === selectedId ? ' item-active' : ''}`}
                    data-testid="definition-item"
                    aria-current={d.id === selectedId ? 'page' : undefined}
                  >
                    <div className="item-title">
                      <span className="item-name">{d.family}</span>
                      {d.valid ? (
                        d.networkMode && <span className="chip chip-small">{d.networkMode}</span>
                      ) : (
                        <span className="badge badge-error badge-small">
                          {d.errorCount} error{d.errorCount === 1 ? '' : 's'}
                        </span>
                      )}
                    </div>
                    <div className="item-sub">
                      {d.containerNames.length > 0
                        ? `${d.containerNames.length} container${d.containerNames.length === 1 ? '' : 's'}: ${d.containerNames.join(', ')}`
                        : (d.fileName ?? 'not valid yet')}
                    </div>
                  </a>
                </li>
              ))}
            </ul>
            <p className="list-hint muted small">Tip: drop JSON files anywhere here.</p>
          </aside>
          <section className="detail-pane">
            {detail.data ? (
              <DefinitionDetailView
                key={detail.data.id}
                definition={detail.data}
                onLaunch={() => setLaunching(true)}
              />
            ) : detail.isError ? (
              <div className="detail-empty">This definition no longer exists.</div>
            ) : (
              <div className="detail-empty muted">Select a definition</div>
            )}
          </section>
        </div>
      )}
      {pasting && (
        <PasteDialog
          saving={saving}
          onClose={() => setPasting(false)}
          onSave={(text, fileName) => {
            importText(text, fileName)
              .then((ok) => ok && setPasting(false))
              .catch(importFailed);
          }}
        />
      )}
      {launching && detail.data?.definition && (
        <LaunchDialog
          definitionId={detail.data.id}
          definition={detail.data.definition}
          onClose={() => setLaunching(false)}
        />
      )}
    </div>
  );
}
