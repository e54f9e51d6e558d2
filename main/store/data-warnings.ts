/**
 * Damaged data found while reading the data dir (a corrupt file kept aside, damaged lines skipped).
 * Nothing is lost silently: every reader reports here, the CLI prints each warning on stderr and the
 * app lists them (recovery status). Process-wide because the readers (settings, library, launch
 * records, task store) are built in different places and all belong to the one data dir in use.
 */

/** One report. */
export interface DataWarning {
  readonly time: string;
  readonly message: string;
  /** The damaged file, or where it was kept aside. */
  readonly file?: string;
}

const warnings: DataWarning[] = [];
const keys = new Set<string>();
const listeners = new Set<(w: DataWarning) => void>();
const MAX = 200;

/** Records a warning (the same `key` only once, e.g. per file and count). */
export function reportDataWarning(message: string, file?: string, key = `${file ?? ''}|${message}`): void {
  if (keys.has(key)) return;
  keys.add(key);
  const w: DataWarning = { time: new Date().toISOString(), message, ...(file ? { file } : {}) };
  warnings.push(w);
  if (warnings.length > MAX) warnings.shift();
  for (const l of listeners) l(w);
}

/** Everything reported so far (newest last). */
export function dataWarnings(): readonly DataWarning[] {
  return [...warnings];
}

/** Calls `listener` for every later warning; returns the unsubscribe function. */
export function onDataWarning(listener: (w: DataWarning) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
