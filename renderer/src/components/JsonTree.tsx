/** A read-only, collapsible JSON viewer with a copy button. Values render as text, never HTML. */
import { useState } from 'react';
import { errorToast, useToasts } from './Toasts.js';

function Value({ name, value, depth }: { name?: string; value: unknown; depth: number }) {
  const [open, setOpen] = useState(depth < 2);
  const label = name !== undefined ? <span className="json-key">{JSON.stringify(name)}: </span> : null;
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    const [l, r] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) {
      return (
        <div className="json-line">
          {label}
          <span className="json-punct">{`${l}${r}`}</span>
        </div>
      );
    }
    return (
      <div className="json-node">
        <button className="json-toggle" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
          {open ? '▾' : '▸'}
        </button>
        {label}
        <span className="json-punct">{l}</span>
        {open ? (
          <div className="json-children">
            {entries.map(([k, v]) => (
              <Value key={k} {...(Array.isArray(value) ? {} : { name: k })} value={v} depth={depth + 1} />
            ))}
          </div>
        ) : (
          <span className="json-collapsed muted">
            {' '}
            {entries.length} {Array.isArray(value) ? 'items' : 'keys'}{' '}
          </span>
        )}
        <span className="json-punct">{r}</span>
      </div>
    );
  }
  const cls =
    typeof value === 'string' ? 'json-string' : typeof value === 'number' ? 'json-number' : 'json-literal';
  return (
    <div className="json-line">
      {label}
      <span className={cls}>{JSON.stringify(value)}</span>
    </div>
  );
}

export function JsonTree({ value, label }: { value: unknown; label: string }) {
  const { push } = useToasts();
  return (
    <div className="json-tree" aria-label={label}>
      <button
        className="button button-small json-copy"
        onClick={() =>
          navigator.clipboard
            .writeText(JSON.stringify(value, null, 2))
            .then(() => push({ kind: 'success', title: `Copied ${label}` }))
            .catch((e: unknown) => push(errorToast('Could not copy', e)))
        }
      >
        Copy
      </button>
      <Value value={value} depth={0} />
    </div>
  );
}
