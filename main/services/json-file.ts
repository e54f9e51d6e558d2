/**
 * Small durable JSON helpers: writes go to a temp file then rename, so a crash never leaves half a
 * file behind.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../store/private-files.js';

/** Reads and parses a JSON file; `undefined` when it does not exist. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return JSON.parse(text) as unknown;
}

/** Writes `value` as pretty JSON atomically (temp file + rename), private to the user (0600 in a 0700 folder). */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await ensurePrivateDir(dirname(path));
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { encoding: 'utf8', mode: PRIVATE_FILE_MODE });
  await rename(tmp, path);
}
