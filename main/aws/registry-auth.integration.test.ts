/**
 * Real Docker + the local basic-auth registry (127.0.0.1:5001, see scripts/ci-setup.sh): a pull
 * with repositoryCredentials from a local secrets file succeeds, one without fails.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryAuthFor, type RegistryAuth } from './registry-auth.js';
import { createSecretResolver } from './secrets.js';

const IMAGE = '127.0.0.1:5001/taskdeck/private:latest';
const PARAM = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:taskdeck/registry-AbCdEf';
const docker = new Docker();

async function pull(image: string, auth: RegistryAuth | undefined): Promise<void> {
  const stream = await docker.pull(image, auth ? { authconfig: auth } : {});
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}

async function present(image: string): Promise<boolean> {
  return docker
    .getImage(image)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

describe('registry auth (real registry)', () => {
  let dir: string;
  let hadImage = false;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taskdeck-registry-'));
    hadImage = await present(IMAGE);
  });
  afterAll(async () => {
    // Leave the machine as found: remove the image only if this test brought it.
    if (!hadImage && (await present(IMAGE))) await docker.getImage(IMAGE).remove({ noprune: false });
    await rm(dir, { recursive: true, force: true });
    if (!hadImage) expect(await present(IMAGE)).toBe(false);
  });

  it('fails to pull without credentials', async () => {
    const auth = await registryAuthFor(IMAGE, undefined, createSecretResolver());
    expect(auth).toBeUndefined();
    await expect(pull(IMAGE, auth)).rejects.toThrow(
      /no basic auth credentials|unauthorized|authentication required/i,
    );
  });

  it('pulls with repositoryCredentials from a local secrets file', async () => {
    const file = join(dir, 'secrets.json');
    await writeFile(
      file,
      JSON.stringify({ [PARAM]: JSON.stringify({ username: 'taskdeck', password: 's3cret-pass' }) }),
    );
    const auth = await registryAuthFor(
      IMAGE,
      { credentialsParameter: PARAM },
      createSecretResolver({ secretsFile: file }),
    );
    expect(auth).toEqual({ username: 'taskdeck', password: 's3cret-pass', serveraddress: '127.0.0.1:5001' });
    await pull(IMAGE, auth);
    expect(await present(IMAGE)).toBe(true);
  });

  it('fails with a ResourceInitializationError when the secret is missing', async () => {
    const file = join(dir, 'empty.json');
    await writeFile(file, '{}');
    await expect(
      registryAuthFor(IMAGE, { credentialsParameter: PARAM }, createSecretResolver({ secretsFile: file })),
    ).rejects.toThrow(
      `ResourceInitializationError: unable to pull secrets or registry auth: secret repositoryCredentials (valueFrom ${PARAM}): not in the secrets file`,
    );
  });
});
