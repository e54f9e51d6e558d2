import { describe, expect, it, vi } from 'vitest';
import { parseEcrHost, registryAuthFor, registryHost } from './registry-auth.js';
import type { SecretResolver } from './secrets.js';

const resolverOf = (values: Record<string, string>): SecretResolver => ({
  resolve: async (refs) => Object.fromEntries(refs.map((r) => [r.name, values[r.valueFrom] ?? ''])),
});

describe('registryHost', () => {
  it('finds the registry of a reference', () => {
    expect(registryHost('nginx')).toBe('docker.io');
    expect(registryHost('library/nginx:1')).toBe('docker.io');
    expect(registryHost('127.0.0.1:5001/taskdeck/private:latest')).toBe('127.0.0.1:5001');
    expect(registryHost('localhost/x')).toBe('localhost');
    expect(registryHost('ghcr.io/o/r@sha256:abc')).toBe('ghcr.io');
    expect(registryHost('123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1')).toBe(
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    );
  });

  it('recognises ECR hosts', () => {
    expect(parseEcrHost('123456789012.dkr.ecr.eu-west-1.amazonaws.com')).toEqual({
      account: '123456789012',
      region: 'eu-west-1',
    });
    expect(parseEcrHost('ghcr.io')).toBeUndefined();
  });
});

describe('registryAuthFor', () => {
  const param = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:registry-AbCdEf';

  it('uses repositoryCredentials from the secret', async () => {
    const auth = await registryAuthFor(
      '127.0.0.1:5001/taskdeck/private:latest',
      { credentialsParameter: param },
      resolverOf({ [param]: '{"username":"u","password":"p"}' }),
    );
    expect(auth).toEqual({ username: 'u', password: 'p', serveraddress: '127.0.0.1:5001' });
  });

  it('rejects a secret that is not {username,password}, without echoing it', async () => {
    const err = await registryAuthFor(
      'ghcr.io/o/r',
      { credentialsParameter: param },
      resolverOf({ [param]: 'hunter2' }),
    ).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(
      /^ResourceInitializationError: unable to pull secrets or registry auth: repositoryCredentials/,
    );
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('is anonymous for other registries and for ECR without AWS access', async () => {
    expect(await registryAuthFor('nginx', undefined, resolverOf({}))).toBeUndefined();
    expect(
      await registryAuthFor('123456789012.dkr.ecr.us-east-1.amazonaws.com/a', undefined, resolverOf({})),
    ).toBeUndefined();
  });

  it('gets and caches an ECR token when AWS access is enabled', async () => {
    const fetcher = vi.fn(async () => ({
      username: 'AWS',
      password: 'tok',
      expiresAt: new Date(Date.now() + 12 * 3_600_000),
    }));
    const image = '210987654321.dkr.ecr.ap-south-1.amazonaws.com/app:1';
    const a = await registryAuthFor(image, undefined, resolverOf({}), { enabled: true }, fetcher);
    const b = await registryAuthFor(image, undefined, resolverOf({}), { enabled: true }, fetcher);
    expect(a).toEqual({
      username: 'AWS',
      password: 'tok',
      serveraddress: 'https://210987654321.dkr.ecr.ap-south-1.amazonaws.com',
    });
    expect(b).toEqual(a);
    expect(fetcher).toHaveBeenCalledTimes(1);
    expect(fetcher).toHaveBeenCalledWith('ap-south-1', '210987654321', { enabled: true });
  });
});
