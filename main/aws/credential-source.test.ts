import { describe, expect, it, vi } from 'vitest';
import { createCredentialSource, type StsCalls } from './credential-source.js';

const ROLE = 'arn:aws:iam::000000000000:role/app';
const TASK = '0123456789abcdef0123456789abcdef';

function fakeSts(overrides: Partial<StsCalls> = {}): StsCalls & { calls: string[] } {
  const calls: string[] = [];
  let n = 0;
  return {
    calls,
    assumeRole: vi.fn(async (roleArn: string, sessionName: string, duration: number) => {
      calls.push(`assume ${roleArn} ${sessionName} ${duration}`);
      return {
        AccessKeyId: `ASIA${++n}`,
        SecretAccessKey: 'S',
        SessionToken: 'T',
        Expiration: new Date('2099-01-01T00:00:00.000Z'),
      };
    }),
    getSessionToken: vi.fn(async (duration: number) => {
      calls.push(`session ${duration}`);
      return {
        AccessKeyId: 'ASIASESSION',
        SecretAccessKey: 'S2',
        SessionToken: 'T2',
        Expiration: new Date('2099-01-01T00:00:00.000Z'),
      };
    }),
    ...overrides,
  };
}

const longLived = vi.fn(async () => ({ accessKeyId: 'AKIALONGLIVED', secretAccessKey: 'B' }));

describe('createCredentialSource', () => {
  it('assumes the task role by default: session taskdeck-<task id>, 3600 s, the real expiry', async () => {
    const sts = fakeSts();
    const source = createCredentialSource({ provider: longLived, sts });
    const session = source.open({ taskId: TASK, roleArn: ROLE, mode: 'assume-role' });
    await session.ready();
    const c = await session.get();
    expect(c).toEqual({
      AccessKeyId: 'ASIA1',
      SecretAccessKey: 'S',
      Token: 'T',
      Expiration: '2099-01-01T00:00:00Z',
    });
    expect(c.AccessKeyId).not.toBe('AKIALONGLIVED');
    expect(sts.calls).toEqual([`assume ${ROLE} taskdeck-${TASK} 3600`]);
    expect(session.warning()).toBeUndefined();
    expect(session.status()).toMatchObject({ mode: 'assume-role', expiration: '2099-01-01T00:00:00Z' });
    session.close();
  });

  it('a role that cannot be assumed rejects ready() with the STS error', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: sts:AssumeRole'), {
      name: 'AccessDenied',
    });
    const sts = fakeSts({ assumeRole: async () => Promise.reject(denied) });
    const session = createCredentialSource({ provider: longLived, sts }).open({
      taskId: TASK,
      roleArn: ROLE,
      mode: 'assume-role',
    });
    await expect(session.ready()).rejects.toThrow('not authorized');
    expect(session.status().error).toBe('AccessDenied: User is not authorized to perform: sts:AssumeRole');
  });

  it('refreshes on a timer before expiry, and serves the new credentials', async () => {
    vi.useFakeTimers();
    try {
      let n = 0;
      const sts = fakeSts({
        assumeRole: async () => ({
          AccessKeyId: `ASIA${++n}`,
          SecretAccessKey: 'S',
          SessionToken: 'T',
          Expiration: new Date(Date.now() + 15 * 60_000),
        }),
      });
      const session = createCredentialSource({ provider: longLived, sts, refreshMarginMs: 5 * 60_000 }).open({
        taskId: TASK,
        roleArn: ROLE,
        mode: 'assume-role',
      });
      await session.ready();
      expect((await session.get()).AccessKeyId).toBe('ASIA1');
      await vi.advanceTimersByTimeAsync(9 * 60_000);
      expect(n).toBe(1);
      await vi.advanceTimersByTimeAsync(60_000 + 10);
      expect(n).toBe(2);
      expect((await session.get()).AccessKeyId).toBe('ASIA2');
      session.close();
      await vi.advanceTimersByTimeAsync(60 * 60_000);
      expect(n).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('own credentials: long-lived keys are exchanged with GetSessionToken, and the task is warned', async () => {
    const sts = fakeSts();
    const session = createCredentialSource({ provider: longLived, sts }).open({
      taskId: TASK,
      roleArn: ROLE,
      mode: 'own',
    });
    await session.ready();
    expect((await session.get()).AccessKeyId).toBe('ASIASESSION');
    expect(sts.calls).toEqual(['session 3600']);
    expect(session.warning()).toContain(`instead of its task role ${ROLE}`);
    expect(session.warning()).toContain('GetSessionToken');
  });

  it('own credentials: temporary ones pass as they are; a failed GetSessionToken falls back, said in the warning', async () => {
    const temporary = async () => ({
      accessKeyId: 'ASIATEMP',
      secretAccessKey: 'B',
      sessionToken: 'TOK',
      expiration: new Date('2099-02-01T00:00:00.000Z'),
    });
    const sts = fakeSts();
    const temp = createCredentialSource({ provider: temporary, sts }).open({
      taskId: TASK,
      roleArn: ROLE,
      mode: 'own',
    });
    expect(await temp.get()).toEqual({
      AccessKeyId: 'ASIATEMP',
      SecretAccessKey: 'B',
      Token: 'TOK',
      Expiration: '2099-02-01T00:00:00Z',
    });
    expect(sts.calls).toEqual([]);

    const offline = fakeSts({ getSessionToken: () => Promise.reject(new Error('connect ECONNREFUSED')) });
    const fallback = createCredentialSource({ provider: longLived, sts: offline }).open({
      taskId: TASK,
      roleArn: ROLE,
      mode: 'own',
    });
    expect((await fallback.get()).AccessKeyId).toBe('AKIALONGLIVED');
    expect(fallback.warning()).toContain(
      'long-lived access keys, because GetSessionToken failed: connect ECONNREFUSED',
    );
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
