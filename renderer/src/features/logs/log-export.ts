/** Copy and export of the shown log lines (escapes stripped): plain text or JSON Lines. */
import type { LogStore } from './log-store.js';
import type { Rows } from './use-log-view.js';

export type ExportFormat = 'log' | 'jsonl';

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : '');

/**
 * The shown rows, one line each. `log`: `time container stream | text` (time optional for copy);
 * `jsonl`: `{"time","container","stream","seq","text"}` per line (`dropped: true` on a marker).
 */
export function rowsAsText(store: LogStore, rows: Rows, format: ExportFormat, withTime = true): string {
  const out: string[] = new Array<string>(rows.length);
  for (let p = 0; p < rows.length; p++) {
    const l = store.line(rows.at(p));
    const stream = l.stderr ? 'stderr' : 'stdout';
    out[p] =
      format === 'jsonl'
        ? JSON.stringify({
            time: iso(l.time),
            container: l.container,
            stream,
            seq: l.seq,
            text: l.plain,
            ...(l.marker ? { dropped: true } : {}),
          })
        : `${withTime ? `${iso(l.time)} ` : ''}${l.container} ${stream} | ${l.plain}`;
  }
  return out.length ? `${out.join('\n')}\n` : '';
}

/** Saves `text` as a file through the browser's download (works in Electron and web mode). */
export function downloadText(fileName: string, text: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
