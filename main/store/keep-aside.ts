/**
 * Reading whole-JSON files that may be damaged (a crash or a full disk mid-write, a bad edit): a
 * file that does not parse, or does not have the expected shape, is renamed to
 * `<file>.corrupt-<ISO time>` and reported, so the next save cannot overwrite what was in it.
 */
import { readFile, rename } from 'node:fs/promises';
import { reportDataWarning } from './data-warnings.js';

/** `<file>.corrupt-<ISO time>` with `:` and `.` made file-name safe everywhere. */
export function corruptName(file: string, now = new Date()): string {
  return `${file}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
}

/** Renames a damaged file aside and reports it; returns the new name (undefined if it vanished). */
export async function keepAside(file: string, why: string): Promise<string | undefined> {
  const aside = corruptName(file);
  try {
    await rename(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    reportDataWarning(
      `${file} is damaged (${why}) and could not be kept aside: ${(err as Error).message}`,
      file,
    );
    throw err;
  }
  reportDataWarning(`${file} is damaged (${why}); kept aside as ${aside}`, aside);
  return aside;
}

/**
 * Reads and parses a JSON file; undefined when it does not exist or was damaged (then kept aside).
 * `valid` checks the shape: a parseable file of the wrong shape is damaged too. Other read errors
 * (permissions) are thrown: the file is intact and must not be replaced.
 */
export async function readJsonOrKeepAside(
  file: string,
  valid: (value: unknown) => boolean = () => true,
): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (err) {
    await keepAside(file, `not JSON: ${(err as Error).message}`);
    return undefined;
  }
  if (!valid(value)) {
    await keepAside(file, 'unexpected content');
    return undefined;
  }
  return value;
}

/** Parses JSON Lines, skipping damaged lines; `damaged` counts what was skipped. */
export function parseJsonLines<T>(
  text: string,
  valid: (value: unknown) => boolean = (v) => typeof v === 'object' && v !== null,
): { readonly rows: T[]; readonly damaged: number } {
  const rows: T[] = [];
  let damaged = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      const v = JSON.parse(line) as unknown;
      if (valid(v)) rows.push(v as T);
      else damaged++;
    } catch {
      damaged++;
    }
  }
  return { rows, damaged };
}
