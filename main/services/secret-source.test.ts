/** Settings → secrets source: the two settings round-trip, are validated, and map to the resolver's source. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operations } from '../../contract/operations.js';
import { secretSourceFromSettings } from './secret-source.js';
import { createSettingsStore } from './settings-store.js';

describe('secrets source settings', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'taskdeck-secret-settings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trip through settings.json, and clear with "" / false', async () => {
    const store = await createSettingsStore(dir);
    expect(store.get().secretsFile).toBeUndefined();
    expect(store.get().awsSecrets).toBeUndefined();
    await store.update({ secretsFile: '/home/me/secrets.json', awsSecrets: true });
    const reloaded = await createSettingsStore(dir);
    expect(reloaded.get()).toMatchObject({ secretsFile: '/home/me/secrets.json', awsSecrets: true });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toMatchObject({
      secretsFile: '/home/me/secrets.json',
      awsSecrets: true,
    });
    await reloaded.update({ secretsFile: '', awsSecrets: false });
    const cleared = (await createSettingsStore(dir)).get();
    expect(cleared.secretsFile).toBeUndefined();
    expect(cleared.awsSecrets).toBeUndefined();
  });

  it('the settings:update schema takes an absolute path or "" and refuses anything else', () => {
    const schema = operations['settings:update'].request;
    expect(schema.safeParse({ secretsFile: '/abs/s.json', awsSecrets: true }).success).toBe(true);
    expect(schema.safeParse({ secretsFile: '~/s.json' }).success).toBe(true);
    expect(schema.safeParse({ secretsFile: '' }).success).toBe(true);
    const relative = schema.safeParse({ secretsFile: 'secrets.json' });
    expect(relative.success).toBe(false);
    expect(relative.error?.issues[0]).toMatchObject({
      path: ['secretsFile'],
      message: 'must be empty (no secrets file) or an absolute path',
    });
    expect(schema.safeParse({ awsSecrets: 'yes' }).success).toBe(false);
  });

  it('maps to the launch-time source: the file (with ~ expanded) and AWS only when turned on', () => {
    const base = {
      defaultPullBehavior: 'default',
      dataDir: dir,
      theme: 'system',
      exposePorts: false,
    } as const;
    const settings = { ...base, allowEnvFilesOutsideFolder: false };
    expect(secretSourceFromSettings(settings)).toEqual({});
    expect(secretSourceFromSettings({ ...settings, secretsFile: '~/s.json' })).toEqual({
      secretsFile: join(homedir(), 's.json'),
    });
    expect(secretSourceFromSettings({ ...settings, awsSecrets: true, awsProfile: 'dev' })).toEqual({
      aws: { enabled: true, profile: 'dev' },
    });
  });
});
