/**
 * `<dataDir>/owner.json`: the Taskdeck process that holds a data dir. An app or `web` writes it
 * with `adopts: true` (it re-adopts the tasks recorded there, so their objects are not orphans
 * even though the process that created them is gone); `taskdeck run` writes it, `adopts: false`,
 * only into its own temporary data dir, so `taskdeck gc` can tell a leaked temp dir from a live one.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OwnerKind, ProcessIdentity } from '../engine/owner.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-files.js';

/** The file's content. */
export interface DataDirOwner extends ProcessIdentity {
  readonly kind: OwnerKind;
  readonly adopts: boolean;
}

const FILE = 'owner.json';

/** Records `owner` as the holder of `dataDir`. */
export async function writeDataDirOwner(dataDir: string, owner: DataDirOwner): Promise<void> {
  await ensurePrivateDir(dataDir);
  const file = join(dataDir, FILE);
  await writeFile(`${file}.tmp`, `${JSON.stringify(owner)}\n`, { mode: PRIVATE_FILE_MODE });
  await rename(`${file}.tmp`, file);
}

/** The holder of `dataDir`; undefined when there is none or the file is unreadable. */
export async function readDataDirOwner(dataDir: string): Promise<DataDirOwner | undefined> {
  try {
    const v = JSON.parse(await readFile(join(dataDir, FILE), 'utf8')) as Partial<DataDirOwner>;
    if (typeof v.pid !== 'number' || typeof v.startTime !== 'string' || typeof v.host !== 'string')
      return undefined;
    return {
      pid: v.pid,
      startTime: v.startTime,
      host: v.host,
      kind: v.kind === 'run' || v.kind === 'web' ? v.kind : 'app',
      adopts: v.adopts === true,
    };
  } catch {
    return undefined;
  }
}
