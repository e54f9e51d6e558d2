/** Where Taskdeck keeps its data: explicit flag, then TASKDECK_DATA_DIR, then ~/.taskdeck. */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** Expands a leading `~` and makes the path absolute. */
export function normaliseDir(dir: string): string {
  if (dir === '~') return homedir();
  if (dir.startsWith('~/')) return join(homedir(), dir.slice(2));
  return isAbsolute(dir) ? dir : resolve(dir);
}

/** The boot data dir (settings live here) and whether it was chosen explicitly. */
export function resolveBootDataDir(
  env: NodeJS.ProcessEnv,
  flag?: string,
): { readonly dir: string; readonly explicit: boolean } {
  if (flag !== undefined && flag !== '') return { dir: normaliseDir(flag), explicit: true };
  const fromEnv = env['TASKDECK_DATA_DIR'];
  if (fromEnv !== undefined && fromEnv !== '') return { dir: normaliseDir(fromEnv), explicit: true };
  return { dir: join(homedir(), '.taskdeck'), explicit: false };
}
