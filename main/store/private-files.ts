/**
 * Taskdeck's data (records, events, logs, settings, the endpoint key) is private to the user who
 * runs it: folders 0700, files 0600. New ones are created so (the process umask can only remove
 * bits), and a tree found looser — made by an older version, or copied in — is tightened at
 * start-up with a notice, since task records, logs and the endpoint key must not be readable by
 * other local users.
 */
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Mode of every folder Taskdeck creates in its data dir. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of every file Taskdeck writes in its data dir. */
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and missing parents) readable by the owner only. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** What tightening changed. */
export interface TightenResult {
  readonly dirs: number;
  readonly files: number;
  /** Entries that could not be changed (not ours), with the reason. */
  readonly failed: readonly string[];
}

/**
 * What Taskdeck keeps directly in a data dir (and their temp files, `<name>.<x>.tmp`). Only these
 * are tightened below the root: `--data-dir` may point at a folder that holds other things too.
 */
export const DATA_DIR_ENTRIES: readonly string[] = [
  'settings.json',
  'launches.json',
  'state.json',
  'endpoint-key',
  'definitions',
  'tasks',
];

function isDataDirEntry(name: string): boolean {
  return DATA_DIR_ENTRIES.some((e) => name === e || name.startsWith(`${e}.`));
}

/**
 * Sets `root` and every Taskdeck entry below it (recursively) to 0700 (folders) / 0600 (files)
 * where any group/other bit is set. Symlinks are not followed. A missing root changes nothing.
 */
export async function tightenPrivateTree(root: string): Promise<TightenResult> {
  let dirs = 0;
  let files = 0;
  const failed: string[] = [];
  const visit = async (path: string, top: boolean): Promise<void> => {
    let st;
    try {
      st = await lstat(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (st.isSymbolicLink()) return;
    const loose = (st.mode & 0o077) !== 0;
    const target = st.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
    if (loose) {
      try {
        await chmod(path, target);
        if (st.isDirectory()) dirs++;
        else files++;
      } catch (err) {
        failed.push(`${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
    if (st.isDirectory()) {
      for (const name of await readdir(path)) {
        if (!top || isDataDirEntry(name)) await visit(join(path, name), false);
      }
    }
  };
  await visit(root, true);
  return { dirs, files, failed };
}

/**
 * Tightens `root` and returns a notice for the user when anything was looser than private
 * (undefined when it already was, or does not exist yet).
 */
export async function securePrivateTree(root: string): Promise<string | undefined> {
  const r = await tightenPrivateTree(root);
  if (r.dirs === 0 && r.files === 0 && r.failed.length === 0) return undefined;
  const parts = [
    `${root} was readable by other local users: tightened ${r.dirs} folder(s) to 0700 and ${r.files} file(s) to 0600`,
  ];
  if (r.failed.length) parts.push(`could not tighten ${r.failed.join(', ')}`);
  return parts.join('; ');
}

/**
 * A 32-byte secret kept in `file` (0600), created on first use. Used to derive endpoint ids so
 * that they never need to be written into plain records.
 */
export async function loadOrCreateSecret(file: string): Promise<Buffer> {
  try {
    const existing = await readFile(file);
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await ensurePrivateDir(dirname(file));
  const secret = randomBytes(32);
  try {
    // 'wx': two processes racing on a fresh data dir both end up with the winner's key.
    await writeFile(file, secret, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readFile(file);
  }
}
