import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSecretResolver, parseValueFrom, SECRET_ERROR_PREFIX } from './secrets.js';

const SM = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf';

describe('parseValueFrom', () => {
  it('parses Secrets Manager ARNs with and without json-key/stage/version', () => {
    expect(parseValueFrom(SM)).toEqual({
      kind: 'secretsmanager',
      secretArn: SM,
      region: 'eu-west-1',
      account: '123456789012',
      secretName: 'prod/db-AbCdEf',
    });
    expect(parseValueFrom(`${SM}:password::`)).toMatchObject({ secretArn: SM, jsonKey: 'password' });
    expect(parseValueFrom(`${SM}:password:AWSPREVIOUS:`)).toMatchObject({
      jsonKey: 'password',
      versionStage: 'AWSPREVIOUS',
    });
    expect(parseValueFrom(`${SM}:::v-123`)).toEqual(expect.objectContaining({ versionId: 'v-123' }));
    expect(parseValueFrom(`${SM}:::v-123`)).not.toHaveProperty('jsonKey');
  });

  it('parses SSM names and ARNs', () => {
    expect(parseValueFrom('/app/db/password')).toEqual({ kind: 'ssm', name: '/app/db/password' });
    expect(parseValueFrom('plain_name')).toEqual({ kind: 'ssm', name: 'plain_name' });
    expect(parseValueFrom('arn:aws:ssm:us-west-2:123456789012:parameter/app/db/password')).toEqual({
      kind: 'ssm',
      name: '/app/db/password',
      region: 'us-west-2',
      account: '123456789012',
    });
    expect(parseValueFrom('arn:aws:ssm:us-west-2:123456789012:parameter/plain')).toMatchObject({
      name: 'plain',
    });
  });

  it('rejects what is neither', () => {
    expect(() => parseValueFrom('arn:aws:s3:::bucket/key')).toThrow(/unsupported ARN service 's3'/);
    expect(() => parseValueFrom('arn:aws:secretsmanager:us-east-1:1:notsecret:x')).toThrow(
      /not a Secrets Manager/,
    );
    expect(() => parseValueFrom('has spaces')).toThrow(/not an SSM parameter name/);
  });
});

describe('createSecretResolver', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taskdeck-secrets-'));
    file = join(dir, 'secrets.json');
    await writeFile(
      file,
      JSON.stringify({
        [SM]: JSON.stringify({ username: 'admin', password: 'pw-1' }),
        'arn:aws:secretsmanager:us-east-1:123456789012:secret:plain-XyZ123': 'plain-value',
        '/app/token': 'tok-1',
        'arn:aws:ssm:us-east-1:123456789012:parameter/app/by-arn': 'arn-keyed',
      }),
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('resolves from the local file by valueFrom, extracting json keys', async () => {
    const resolver = createSecretResolver({ secretsFile: file });
    await expect(
      resolver.resolve([
        { name: 'DB_PASSWORD', valueFrom: `${SM}:password::` },
        { name: 'DB_USER', valueFrom: `${SM}:username::` },
        { name: 'DB_JSON', valueFrom: SM },
        { name: 'PLAIN', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:plain-XyZ123' },
        { name: 'TOKEN', valueFrom: '/app/token' },
        { name: 'TOKEN_BY_ARN', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/token' },
        { name: 'BY_NAME', valueFrom: '/app/by-arn' },
      ]),
    ).resolves.toEqual({
      DB_PASSWORD: 'pw-1',
      DB_USER: 'admin',
      DB_JSON: '{"username":"admin","password":"pw-1"}',
      PLAIN: 'plain-value',
      TOKEN: 'tok-1',
      TOKEN_BY_ARN: 'tok-1',
      BY_NAME: 'arn-keyed',
    });
  });

  it('fails with ResourceInitializationError naming each secret, never a value', async () => {
    const resolver = createSecretResolver({ secretsFile: file });
    const err = await resolver
      .resolve([
        { name: 'MISSING', valueFrom: '/app/missing' },
        { name: 'BADKEY', valueFrom: `${SM}:nokey::` },
        { name: 'OK', valueFrom: '/app/token' },
      ])
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(err?.message.startsWith(SECRET_ERROR_PREFIX)).toBe(true);
    expect(err?.message).toContain(
      `secret MISSING (valueFrom /app/missing): not in the secrets file ${file} and AWS lookups are disabled`,
    );
    expect(err?.message).toContain(
      `secret BADKEY (valueFrom ${SM}:nokey::): json-key 'nokey' is not in the secret`,
    );
    expect(err?.message).not.toContain('pw-1');
    expect(err?.message).not.toContain('tok-1');
  });

  it('reports an unreadable or malformed file without echoing it', async () => {
    await expect(
      createSecretResolver({ secretsFile: join(dir, 'nope.json') }).resolve([{ name: 'A', valueFrom: '/a' }]),
    ).rejects.toThrow(
      /^ResourceInitializationError: unable to pull secrets or registry auth: secret A \(valueFrom \/a\): cannot read secrets file .*ENOENT/,
    );
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"a": "super-secret-value",');
    const err = await createSecretResolver({ secretsFile: broken })
      .resolve([{ name: 'A', valueFrom: '/a' }])
      .catch((e: unknown) => e as Error);
    expect((err as Error).message).toContain('is not valid JSON');
    expect((err as Error).message).not.toContain('super-secret-value');
  });

  it('falls back to AWS when enabled (file first)', async () => {
    const secretsManager = vi.fn(async () => JSON.stringify({ password: 'from-aws' }));
    const ssm = vi.fn(async () => 'ssm-value');
    const resolver = createSecretResolver({
      secretsFile: file,
      aws: { enabled: true },
      fetchers: { secretsManager, ssm },
    });
    const other = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:other-AAAAAA';
    await expect(
      resolver.resolve([
        { name: 'A', valueFrom: `${other}:password:AWSCURRENT:` },
        { name: 'B', valueFrom: '/not/local' },
        { name: 'C', valueFrom: '/app/token' },
      ]),
    ).resolves.toEqual({ A: 'from-aws', B: 'ssm-value', C: 'tok-1' });
    expect(secretsManager).toHaveBeenCalledWith(
      expect.objectContaining({ secretArn: other, versionStage: 'AWSCURRENT' }),
    );
    expect(ssm).toHaveBeenCalledTimes(1);
  });
});
