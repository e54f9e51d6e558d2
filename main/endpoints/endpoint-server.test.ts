import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Docker from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CREDENTIALS_NOT_FOUND,
  createEndpointHandler,
  PING_BODY,
  PING_PATH,
  type MetadataTarget,
} from './endpoint-server.js';
import { fakeContainer, fakeTask, FakeSource } from './test-fixtures.js';

const TASK_ID = 'fedcba9876543210fedcba9876543210';

/** A dockerode stand-in: inspect from a table (stats come from the source, never from Docker). */
function fakeDocker(): Docker {
  const inspects: Record<string, unknown> = {
    aaa: {
      Id: 'aaa',
      Name: '/app',
      Created: '2026-01-01T00:00:00Z',
      Image: 'sha256:1',
      State: {
        Status: 'running',
        Running: true,
        ExitCode: 0,
        StartedAt: '2026-01-01T00:00:01Z',
        FinishedAt: '0001-01-01T00:00:00Z',
      },
      Config: { Labels: {} },
      HostConfig: { NetworkMode: 'bridge' },
      Mounts: [],
      NetworkSettings: {
        Ports: {},
        Networks: { bridge: { IPAddress: '172.17.0.9', IPPrefixLen: 16, NetworkID: 'n' } },
      },
    },
  };
  return {
    getContainer: (id: string) => ({
      inspect: async () => {
        const v = inspects[id];
        if (!v) throw Object.assign(new Error('no such container'), { statusCode: 404 });
        return v;
      },
      stats: async () => {
        throw new Error('stats must come from the engine stream, not a one-shot Docker call');
      },
    }),
  } as unknown as Docker;
}

const secretValue = 'never-log-me';
const credentials = async () => ({
  AccessKeyId: 'AKID',
  SecretAccessKey: secretValue,
  Expiration: '2030-01-01T00:00:00Z',
});
/** The path every test request comes by (the requests carry an X-Path header, see `get`). */
const PATH = 'task-a';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(
  targets: Record<string, MetadataTarget>,
  creds: Record<string, string>,
  logs: string[] = [],
): Promise<number> {
  server = createServer(
    createEndpointHandler(
      {
        metadata: (id) => targets[id],
        credentials: (id) => (creds[id] ? { roleArn: creds[id], path: PATH, credentials } : undefined),
      },
      // Stands in for the source address: which task's path the request came by.
      (req) => (req.headers['x-path'] as string | undefined) ?? undefined,
      (m) => logs.push(m),
    ),
  );
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function get(
  port: number,
  path: string,
  method = 'GET',
  via: string | null = PATH,
): Promise<{ status: number; body: string; type?: string }> {
  return new Promise((resolve, reject) => {
    const headers = via === null ? {} : { 'x-path': via };
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('endpoint handler', () => {
  const source = new FakeSource(
    fakeDocker(),
    fakeTask(TASK_ID, 'bridge', [
      fakeContainer(TASK_ID, 'app'),
      fakeContainer(TASK_ID, 'later', { phase: 'WAITING' }),
    ]),
  );
  source.ids.set('app', 'aaa');
  source.statsDocs.set('app', {
    id: 'aaa',
    read: 'now',
    network_rate_stats: { rx_bytes_per_sec: 12.5, tx_bytes_per_sec: 3 },
  });

  it('routes v3 and v4 documents by id', async () => {
    const port = await serve({ id1: { source, containerName: 'app', path: PATH } }, {});
    for (const v of ['v3', 'v4']) {
      const root = await get(port, `/${v}/id1`);
      expect(root.status).toBe(200);
      expect(root.type).toBe('application/json');
      expect(root.body).not.toContain('\n'); // compact
      expect(JSON.parse(root.body)).toMatchObject({
        Name: 'app',
        DockerId: 'aaa',
        Networks: [{ NetworkMode: 'bridge', IPv4Addresses: ['172.17.0.9'] }],
      });
      const task = JSON.parse((await get(port, `/${v}/id1/task`)).body) as { Containers: { Name: string }[] };
      expect(task.Containers.map((c) => c.Name)).toEqual(['app', 'later']);
      expect(JSON.parse((await get(port, `/${v}/id1/stats`)).body)).toEqual({
        id: 'aaa',
        read: 'now',
        network_rate_stats: { rx_bytes_per_sec: 12.5, tx_bytes_per_sec: 3 },
      });
      expect(Object.keys(JSON.parse((await get(port, `/${v}/id1/task/stats`)).body))).toEqual(['aaa']);
    }
    expect((await get(port, '/v4/id1/')).status).toBe(200);
  });

  it('answers {} for a container with no stats sample (no stream yet, or stopped)', async () => {
    const quiet = new FakeSource(
      fakeDocker(),
      fakeTask(TASK_ID, 'bridge', [fakeContainer(TASK_ID, 'app'), fakeContainer(TASK_ID, 'side')]),
    );
    quiet.ids.set('app', 'aaa');
    quiet.ids.set('side', 'bbb');
    quiet.statsDocs.set('side', { id: 'bbb', read: 'now' });
    const port = await serve({ id1: { source: quiet, containerName: 'app', path: PATH } }, {});
    expect(JSON.parse((await get(port, '/v4/id1/stats')).body)).toEqual({});
    expect(JSON.parse((await get(port, '/v4/id1/task/stats')).body)).toEqual({
      aaa: {},
      bbb: { id: 'bbb', read: 'now' },
    });
  });

  it('404s unknown ids and paths', async () => {
    const port = await serve({ id1: { source, containerName: 'app', path: PATH } }, {});
    expect((await get(port, '/v4/nope')).status).toBe(404);
    expect((await get(port, '/v4/nope/task')).status).toBe(404);
    expect((await get(port, '/v4/id1/other')).status).toBe(404);
    expect((await get(port, '/')).status).toBe(404);
    expect((await get(port, '/v4/id1', 'POST')).status).toBe(405);
  });

  it('serves credentials by id and the exact 400 otherwise, logging no value', async () => {
    const logs: string[] = [];
    const port = await serve({}, { c1: 'arn:aws:iam::1:role/r' }, logs);
    const ok = await get(port, '/v2/credentials/c1');
    expect(ok.status).toBe(200);
    expect(ok.body).toBe(
      `{"RoleArn":"arn:aws:iam::1:role/r","AccessKeyId":"AKID","SecretAccessKey":"${secretValue}","Token":"","Expiration":"2030-01-01T00:00:00Z"}`,
    );
    for (const path of ['/v2/credentials/nope', '/v2/credentials/', '/v2/credentials']) {
      const bad = await get(port, path);
      expect(bad.status).toBe(400);
      expect(bad.body).toBe(CREDENTIALS_NOT_FOUND);
    }
    expect(logs.join('\n')).not.toContain(secretValue);
  });

  it("answers an id only on its own task's path: elsewhere it is unknown (400 / 404)", async () => {
    const port = await serve(
      { id1: { source, containerName: 'app', path: PATH } },
      { c1: 'arn:aws:iam::1:role/r' },
    );
    for (const via of [null, 'task-b']) {
      expect(await get(port, '/v2/credentials/c1', 'GET', via)).toMatchObject({
        status: 400,
        body: CREDENTIALS_NOT_FOUND,
      });
      for (const p of ['/v4/id1', '/v3/id1/task', '/v4/id1/stats', '/v4/id1/task/stats'])
        expect((await get(port, p, 'GET', via)).status).toBe(404);
    }
    expect((await get(port, '/v2/credentials/c1')).status).toBe(200);
    expect((await get(port, '/v4/id1')).status).toBe(200);
  });

  it('answers the helper ping', async () => {
    const port = await serve({}, {});
    expect(await get(port, PING_PATH)).toMatchObject({ status: 200, body: PING_BODY });
  });
});
