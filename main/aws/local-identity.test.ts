import { describe, expect, it } from 'vitest';
import { localAccount, localRegion, resolveIdentity } from './local-identity.js';

const never = () => new Promise<string>(() => {});

describe('localRegion', () => {
  it('takes AWS_REGION, then AWS_DEFAULT_REGION, then the profile config, else us-east-1', async () => {
    const configRegion = async (profile: string | undefined) =>
      profile === 'dev' ? 'ap-south-1' : 'eu-central-1';
    expect(
      await localRegion({ env: { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' }, configRegion }),
    ).toBe('eu-west-1');
    expect(await localRegion({ env: { AWS_DEFAULT_REGION: 'us-west-2' }, configRegion })).toBe('us-west-2');
    expect(await localRegion({ env: {}, configRegion })).toBe('eu-central-1');
    expect(await localRegion({ env: {}, profile: 'dev', configRegion })).toBe('ap-south-1');
    expect(await localRegion({ env: {}, configRegion: async () => undefined })).toBe('us-east-1');
    expect(
      await localRegion({
        env: {},
        configRegion: async () => {
          throw new Error('Region is missing');
        },
      }),
    ).toBe('us-east-1');
  });
});

describe('localAccount', () => {
  const creds = () => true;
  it('asks STS only when credentials exist', async () => {
    let asked = false;
    const callerAccount = async () => {
      asked = true;
      return '123456789012';
    };
    expect(await localAccount('eu-west-1', { env: {}, hasCredentials: () => false, callerAccount })).toBe(
      '000000000000',
    );
    expect(asked).toBe(false);
    expect(await localAccount('eu-west-1', { env: {}, hasCredentials: creds, callerAccount })).toBe(
      '123456789012',
    );
  });

  it('falls back without an error when STS fails or does not answer in time (offline)', async () => {
    expect(
      await localAccount('eu-west-1', {
        hasCredentials: creds,
        callerAccount: async () => {
          throw new Error('getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com');
        },
      }),
    ).toBe('000000000000');
    const t0 = Date.now();
    let aborted = false;
    const hanging = (_r: string, _p: string | undefined, signal: AbortSignal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return never();
    };
    expect(
      await localAccount('eu-west-1', { hasCredentials: creds, callerAccount: hanging, timeoutMs: 50 }),
    ).toBe('000000000000');
    expect(aborted).toBe(true);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});

describe('resolveIdentity', () => {
  it('explicit values win and skip the lookups', async () => {
    const fail = async (): Promise<string> => {
      throw new Error('must not be called');
    };
    expect(
      await resolveIdentity(
        { region: 'eu-north-1', account: '210987654321' },
        { configRegion: fail, callerAccount: fail, hasCredentials: () => true },
      ),
    ).toEqual({ region: 'eu-north-1', account: '210987654321' });
  });
});
