/** Paste a definition: live validation while typing, then save to the library. */
import { useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog.js';
import { IssueList } from '../../components/IssueList.js';
import { useLiveValidation } from './use-validation.js';
import { JsonEditor, type JsonEditorHandle } from './JsonEditor.js';

export function PasteDialog({
  onClose,
  onSave,
  saving,
}: {
  onClose: () => void;
  onSave: (text: string, fileName?: string) => void;
  saving: boolean;
}) {
  const [text, setText] = useState('');
  const [name, setName] = useState('');
  const editor = useRef<JsonEditorHandle>(null);
  const validation = useLiveValidation(text, name || undefined);
  const status =
    text.trim() === ''
      ? 'Paste RegisterTaskDefinition input, DescribeTaskDefinition output, or a containerDefinitions array.'
      : !validation
        ? 'Checking…'
        : validation.valid
          ? `Valid: ${validation.definition?.family} · ${validation.definition?.containers.length} container(s)`
          : `${validation.errors.length} error(s) — you can still save and fix it later`;
  return (
    <Dialog
      title="Paste a task definition"
      onClose={onClose}
      wide
      testId="paste-dialog"
      footer={
        <>
          <span
            className={`validation-status${validation && !validation.valid ? ' text-error' : ''}`}
            data-testid="paste-status"
          >
            {status}
          </span>
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            className="button button-primary"
            disabled={text.trim() === '' || saving}
            onClick={() => onSave(text, name ? `${name.replace(/\.json$/i, '')}.json` : undefined)}
          >
            {saving ? 'Saving…' : 'Save to library'}
          </button>
        </>
      }
    >
      <label className="field">
        <span>Name (used as the family for a bare containerDefinitions array)</span>
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="my-service" />
      </label>
      <JsonEditor
        ref={editor}
        value={text}
        onChange={setText}
        label="Definition JSON"
        rows={16}
        invalid={validation?.valid === false}
      />
      {validation && (
        <IssueList
          errors={validation.errors}
          warnings={validation.warnings}
          onSelect={(i) => i.line !== undefined && editor.current?.jumpToLine(i.line)}
        />
      )}
    </Dialog>
  );
}
