/**
 * Persisted user settings (`<boot data dir>/settings.json`). Unknown or invalid stored values fall
 * back to defaults rather than stopping the app from starting.
 */
import { join } from 'node:path';
import type { PullBehavior, Settings, ThemePreference } from '../../contract/dto.js';
import { PULL_BEHAVIORS } from '../../contract/dto.js';
import type { SettingsPatch } from '../../contract/operations.js';
import { reportDataWarning } from '../store/data-warnings.js';
import { readJsonOrKeepAside } from '../store/keep-aside.js';
import { writeJsonFile } from './json-file.js';

/** Reads and writes settings; the only writer of settings.json. */
export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsPatch): Promise<Settings>;
}

const THEMES: readonly ThemePreference[] = ['light', 'dark', 'system'];

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Normalises whatever is on disk into Settings. */
export function coerceSettings(raw: unknown, defaultDataDir: string): Settings {
  const obj = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const pull = obj['defaultPullBehavior'];
  const theme = obj['theme'];
  const dockerEndpoint = str(obj['dockerEndpoint']);
  const dockerContext = str(obj['dockerContext']);
  const awsProfile = str(obj['awsProfile']);
  const cap = obj['logCapMB'];
  const logCapMB = typeof cap === 'number' && Number.isFinite(cap) && cap >= 0.1 ? cap : undefined;
  const region = str(obj['region']);
  const account = str(obj['account']);
  return {
    ...(dockerEndpoint !== undefined ? { dockerEndpoint } : {}),
    ...(dockerContext !== undefined ? { dockerContext } : {}),
    ...(awsProfile !== undefined ? { awsProfile } : {}),
    defaultPullBehavior: PULL_BEHAVIORS.includes(pull as PullBehavior) ? (pull as PullBehavior) : 'default',
    dataDir: str(obj['dataDir']) ?? defaultDataDir,
    theme: THEMES.includes(theme as ThemePreference) ? (theme as ThemePreference) : 'system',
    ...(obj['passOwnCredentials'] === true ? { passOwnCredentials: true } : {}),
    // Safe unless the user turned them on: only `true` on disk counts.
    exposePorts: obj['exposePorts'] === true,
    allowEnvFilesOutsideFolder: obj['allowEnvFilesOutsideFolder'] === true,
    ...(logCapMB !== undefined ? { logCapMB } : {}),
    ...(str(obj['secretsFile']) !== undefined ? { secretsFile: str(obj['secretsFile']) } : {}),
    ...(obj['awsSecrets'] === true ? { awsSecrets: true } : {}),
    ...(region !== undefined && /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region) ? { region } : {}),
    ...(account !== undefined && /^\d{12}$/.test(account) ? { account } : {}),
  };
}

/** Loads settings from `dir/settings.json` (defaults when missing). */
export async function createSettingsStore(dir: string): Promise<SettingsStore> {
  const file = join(dir, 'settings.json');
  // A damaged file is kept aside (settings.json.corrupt-<time>) and reported, never overwritten.
  const stored = await readJsonOrKeepAside(
    file,
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  ).catch((err: Error) => {
    reportDataWarning(`cannot read settings ${file}: ${err.message}; using defaults`, file);
    return undefined;
  });
  let current = coerceSettings(stored, dir);
  let writing: Promise<void> = Promise.resolve();
  return {
    get: () => current,
    async update(patch) {
      const merged: Record<string, unknown> = { ...current };
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue;
        // An empty string clears an optional field (back to automatic).
        if (value === '') delete merged[key];
        else merged[key] = value;
      }
      current = coerceSettings(merged, dir);
      const snapshot = current;
      writing = writing.then(() => writeJsonFile(file, snapshot));
      await writing;
      return current;
    },
  };
}
