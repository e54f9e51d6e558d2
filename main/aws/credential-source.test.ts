import { describe, expect, it, vi } from 'vitest';
import { createCredentialSource } from './credential-source.js';

const ROLE = 'arn:aws:iam::000000000000:role/app';

describe('createCredentialSource', () => {
  it('synthesises an Expiration an hour out for long-lived keys and caches', async () => {
    const now = Date.parse('2026-03-01T10:00:00.000Z');
    const provider = vi.fn(async () => ({ accessKeyId: 'AKID', secretAccessKey: 'SECRET' }));
    const source = createCredentialSource({ provider, now: () => now });
    const c = await source.get(ROLE);
    expect(c).toEqual({ AccessKeyId: 'AKID', SecretAccessKey: 'SECRET', Expiration: '2026-03-01T11:00:00Z' });
    await source.get('arn:aws:iam::000000000000:role/other');
    expect(provider).toHaveBeenCalledTimes(1);
  });

  it('refreshes ahead of expiry and passes session tokens through', async () => {
    let now = Date.parse('2026-03-01T10:00:00.000Z');
    let n = 0;
    const provider = vi.fn(async () => ({
      accessKeyId: `AKID${++n}`,
      secretAccessKey: 'S',
      sessionToken: 'TOKEN',
      expiration: new Date(now + 15 * 60_000),
    }));
    const source = createCredentialSource({ provider, now: () => now });
    expect((await source.get(ROLE)).AccessKeyId).toBe('AKID1');
    now += 9 * 60_000; // 6 minutes left: still fresh with a 5-minute margin
    expect((await source.get(ROLE)).AccessKeyId).toBe('AKID1');
    now += 2 * 60_000; // 4 minutes left: refresh
    const c = await source.get(ROLE);
    expect(c.AccessKeyId).toBe('AKID2');
    expect(c.Token).toBe('TOKEN');
  });

  it('deduplicates concurrent loads and retries after a failure', async () => {
    let fail = true;
    const provider = vi.fn(async () => {
      await new Promise((r) => setTimeout(r, 5));
      if (fail) throw new Error('no credentials configured');
      return { accessKeyId: 'A', secretAccessKey: 'B' };
    });
    const source = createCredentialSource({ provider });
    const results = await Promise.allSettled([source.get(ROLE), source.get(ROLE)]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(provider).toHaveBeenCalledTimes(1);
    fail = false;
    await expect(source.get(ROLE)).resolves.toMatchObject({ AccessKeyId: 'A' });
  });

  it('assumes the task role per role when asked', async () => {
    const provider = vi.fn(async () => ({ accessKeyId: 'BASE', secretAccessKey: 'B' }));
    const assume = vi.fn(async (roleArn: string) => ({
      AccessKeyId: `ASIA-${roleArn.split('/')[1]}`,
      SecretAccessKey: 'S',
      Token: 'T',
      Expiration: '2099-01-01T00:00:00Z',
    }));
    const source = createCredentialSource({ provider, assumeRole: true, assume });
    expect((await source.get(ROLE)).AccessKeyId).toBe('ASIA-app');
    expect((await source.get('arn:aws:iam::000000000000:role/db')).AccessKeyId).toBe('ASIA-db');
    await source.get(ROLE);
    expect(assume).toHaveBeenCalledTimes(2);
    expect(source.describe().source).toBe('custom+assume-role');
  });

  it('describes the chain without values', () => {
    const saved = { ...process.env };
    try {
      process.env.AWS_ACCESS_KEY_ID = 'AKIDX';
      delete process.env.AWS_PROFILE;
      expect(createCredentialSource().describe()).toEqual({ source: 'environment' });
      expect(createCredentialSource({ profile: 'dev' }).describe()).toEqual({
        source: 'profile',
        profile: 'dev',
      });
    } finally {
      process.env = saved;
    }
  });
});
