/** Copy and export of the shown log lines (plain text, escapes stripped). */
import type { LogStore } from './log-store.js';

/** The shown rows as text, one line each: `time container stream | text`. */
export function rowsAsText(store: LogStore, rows: readonly number[], withTime: boolean): string {
  const out: string[] = new Array(rows.length);
  for (let p = 0; p < rows.length; p++) {
    const i = rows[p]!;
    const l = store.lines[i]!;
    out[p] = `${withTime ? `${l.time} ` : ''}${l.container} ${l.stream} | ${store.plain[i] ?? ''}`;
  }
  return out.join('\n');
}

/** Saves `text` as a file through the browser's download (works in Electron and web mode). */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
