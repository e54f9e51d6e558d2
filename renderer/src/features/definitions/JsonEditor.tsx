/** A JSON textarea with line numbers; `jumpTo` selects a line (clicking an issue goes there). */
import { forwardRef, useImperativeHandle, useRef } from 'react';

export interface JsonEditorHandle {
  jumpToLine(line: number): void;
}

export const JsonEditor = forwardRef<
  JsonEditorHandle,
  { value: string; onChange: (v: string) => void; label: string; invalid?: boolean; rows?: number }
>(function JsonEditor({ value, onChange, label, invalid, rows = 22 }, ref) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  useImperativeHandle(ref, () => ({
    jumpToLine(line: number) {
      const el = area.current;
      if (!el) return;
      const lines = el.value.split('\n');
      const start = lines.slice(0, Math.max(0, line - 1)).reduce((n, l) => n + l.length + 1, 0);
      const end = start + (lines[line - 1]?.length ?? 0);
      el.focus();
      el.setSelectionRange(start, end);
      const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 20;
      el.scrollTop = Math.max(0, (line - 4) * lineHeight);
    },
  }));
  const count = Math.max(value.split('\n').length, rows);
  return (
    <div className={`json-editor${invalid ? ' json-editor-invalid' : ''}`}>
      <div className="json-gutter" ref={gutter} aria-hidden>
        {Array.from({ length: count }, (_, i) => (
          <div key={i}>{i + 1}</div>
        ))}
      </div>
      <textarea
        ref={area}
        aria-label={label}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        wrap="off"
        rows={rows}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        onKeyDown={(e) => {
          if (e.key === 'Tab') {
            e.preventDefault();
            const el = e.currentTarget;
            const { selectionStart: s, selectionEnd: t } = el;
            onChange(`${el.value.slice(0, s)}  ${el.value.slice(t)}`);
            requestAnimationFrame(() => el.setSelectionRange(s + 2, s + 2));
          }
        }}
      />
    </div>
  );
});
