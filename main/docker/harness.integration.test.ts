import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDocker } from './connect.js';
import { DockerConnectionError } from './connection-error.js';
import { resolveDockerConnection } from './connection.js';

const IMAGE = 'taskdeck-test/busybox:latest';
const LABEL = 'com.taskdeck.test';
const LABEL_VALUE = 'harness';

/** Removes anything this file created, even after a failed assertion. */
async function removeLabelled(docker: Docker): Promise<void> {
  const leftovers = await docker.listContainers({
    all: true,
    filters: { label: [`${LABEL}=${LABEL_VALUE}`] },
  });
  await Promise.all(
    leftovers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
}

/** Decodes Docker's multiplexed (non-TTY) log framing: 8-byte header (stream, 0, 0, 0, size BE) + payload. */
function demux(raw: Buffer): string {
  let text = '';
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const size = raw.readUInt32BE(offset + 4);
    text += raw.subarray(offset + 8, offset + 8 + size).toString('utf8');
    offset += 8 + size;
  }
  return text;
}

describe('docker harness (real daemon)', () => {
  const resolved = resolveDockerConnection(process.env);
  let docker: Docker | undefined;

  afterAll(async () => {
    if (docker) await removeLabelled(docker);
  });

  it('connects through the resolved endpoint and reports the server', async () => {
    const conn = await connectDocker(resolved);
    docker = conn.docker;
    expect(conn.info.serverVersion).toMatch(/^\d+\.\d+/);
    expect(conn.info.apiVersion).toMatch(/^1\.\d+$/);
    expect(conn.info.os).toBe('linux');
  });

  it('creates, starts, waits for, reads logs of and removes a labelled container', async () => {
    const { docker: d } = await connectDocker(resolved);
    docker = d;
    const container = await d.createContainer({
      Image: IMAGE,
      Cmd: ['echo', 'hello'],
      Labels: { [LABEL]: LABEL_VALUE },
      Tty: false,
    });
    try {
      await container.start();
      const exit = (await container.wait()) as { StatusCode: number };
      expect(exit.StatusCode).toBe(0);

      const raw = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
      expect(demux(raw)).toBe('hello\n');
    } finally {
      await container.remove({ force: true });
    }

    const remaining = await d.listContainers({ all: true, filters: { label: [`${LABEL}=${LABEL_VALUE}`] } });
    expect(remaining).toEqual([]);
  });

  it('rejects with a message naming a missing unix socket', async () => {
    const conn = resolveDockerConnection({ DOCKER_HOST: 'unix:///nonexistent.sock' });
    const err = await connectDocker(conn).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerConnectionError);
    expect(err).toMatchObject({ code: 'DOCKER_UNREACHABLE' });
    expect((err as Error).message).toContain('/nonexistent.sock');
  });

  it('rejects with a message naming a closed tcp endpoint', async () => {
    const conn = resolveDockerConnection({ DOCKER_HOST: 'tcp://127.0.0.1:1' });
    const err = await connectDocker(conn, { timeoutMs: 3_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerConnectionError);
    expect(err).toMatchObject({ code: 'DOCKER_UNREACHABLE' });
    expect((err as Error).message).toContain('tcp://127.0.0.1:1');
  });

  it('is not overridden by docker-modem reading process.env.DOCKER_HOST itself', async () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:1';
    try {
      const conn = await connectDocker(resolveDockerConnection({}, { override: resolved.endpoint }));
      expect(conn.info.serverVersion).toMatch(/^\d+\.\d+/);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
  });

  it('prints clear messages (sample)', async () => {
    const conn = resolveDockerConnection({ DOCKER_HOST: 'unix:///nonexistent.sock' });
    const err = (await connectDocker(conn).catch((e: unknown) => e)) as DockerConnectionError;
    expect(err.message).toBe(
      'No Docker daemon is listening at unix:///nonexistent.sock (from DOCKER_HOST): the socket does not exist.',
    );
    expect(err.hint).toMatch(/^Start Docker/);
  });
});
