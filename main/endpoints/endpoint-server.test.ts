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
  payload?: string,
): Promise<{ status: number; body: string; type?: string }> {
  return new Promise((resolve, reject) => {
    const headers = via === null ? {} : { 'x-path': via };
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end(payload);
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
    const bad = await get(port, '/v2/credentials/nope');
    expect(bad.status).toBe(400);
    expect(bad.body).toBe(CREDENTIALS_NOT_FOUND);
    expect(logs.join('\n')).not.toContain(secretValue);
  });

  // Agent: ecs-agent/tmds/handlers/v1/credentials_handler.go (v1 and v2 share it).
  it("answers a request without an id with the agent's 400 NoIdInRequest, v1 and v2", async () => {
    const port = await serve({}, { c1: 'arn:aws:iam::1:role/r' });
    for (const path of ['/v2/credentials/', '/v2/credentials']) {
      expect(await get(port, path)).toMatchObject({
        status: 400,
        body: '{"code":"NoIdInRequest","message":"CredentialsV2Request: No Credential ID in the request","HTTPErrorCode":400}',
      });
    }
    expect(await get(port, '/v1/credentials')).toMatchObject({
      status: 400,
      body: '{"code":"NoIdInRequest","message":"CredentialsV1Request: No Credential ID in the request","HTTPErrorCode":400}',
    });
  });

  it('serves /v1/credentials?id= as the agent does', async () => {
    const port = await serve({}, { c1: 'arn:aws:iam::1:role/r' });
    const ok = await get(port, '/v1/credentials?id=c1');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ RoleArn: 'arn:aws:iam::1:role/r', AccessKeyId: 'AKID' });
    expect(await get(port, '/v1/credentials?id=nope')).toMatchObject({
      status: 400,
      body: '{"code":"InvalidIdInRequest","message":"CredentialsV1Request: Credentials not found","HTTPErrorCode":400}',
    });
  });

  it('answers 503 CredentialsUninitialized while the first credentials are still on their way', async () => {
    server = createServer(
      createEndpointHandler(
        {
          metadata: () => undefined,
          credentials: (id) =>
            id === 'c1'
              ? { roleArn: 'arn:aws:iam::1:role/r', path: PATH, credentials, pending: () => true }
              : undefined,
        },
        () => PATH,
      ),
    );
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    expect(await get(port, '/v2/credentials/c1')).toMatchObject({
      status: 503,
      body: '{"code":"CredentialsUninitialized","message":"CredentialsV2Request: Credentials uninitialized for ID","HTTPErrorCode":503}',
    });
  });

  // Agent: ecs-agent/tmds/handlers/v4/handlers.go + agent/handlers/v4/tmdsstate.go lookup reasons.
  it("404s an unknown metadata id with the agent's JSON string", async () => {
    const port = await serve({}, {});
    expect(await get(port, '/v4/nope')).toMatchObject({
      status: 404,
      body: '"V4 container metadata handler: unable to get container ID from request: unable to get docker ID from v3 endpoint ID: nope"',
    });
    expect(await get(port, '/v4/nope/task')).toMatchObject({
      status: 404,
      body: '"V4 task metadata handler: unable to get task arn from request: unable to get task Arn from v3 endpoint ID: nope"',
    });
    expect(await get(port, '/v4/nope/stats')).toMatchObject({
      status: 404,
      body: '"V4 container stats handler: unable to get container ID from request: unable to get docker ID from v3 endpoint ID: nope"',
    });
  });

  // Agent: ecs-agent/tmds/handlers/taskprotection/v1/handlers/handlers.go.
  it('answers task protection as the agent does for a standalone task', async () => {
    const port = await serve(
      {
        role: { source, containerName: 'app', path: PATH, hasTaskRole: true },
        norole: { source, containerName: 'app', path: PATH },
      },
      {},
    );
    const arn = source.task().taskArn;
    const state = '/task-protection/v1/state';
    expect(await get(port, `/api/role${state}`)).toMatchObject({
      status: 200,
      body: `{"failure":{"Arn":"${arn}","Detail":null,"Reason":"TASK_NOT_VALID"}}`,
    });
    expect(
      await get(port, `/api/role${state}`, 'PUT', PATH, '{"ProtectionEnabled":true,"ExpiresInMinutes":60}'),
    ).toMatchObject({
      status: 200,
      body: `{"failure":{"Arn":"${arn}","Detail":null,"Reason":"TASK_NOT_VALID"}}`,
    });
    expect(await get(port, `/api/norole${state}`)).toMatchObject({
      status: 403,
      body: `{"error":{"Arn":"${arn}","Code":"AccessDeniedException","Message":"Invalid Request: no task IAM role credentials available for task"}}`,
    });
    expect(await get(port, `/api/role${state}`, 'PUT', PATH, '{}')).toMatchObject({
      status: 400,
      body: `{"error":{"Arn":"${arn}","Code":"InvalidParameterException","Message":"Invalid request: does not contain 'ProtectionEnabled' field"}}`,
    });
    expect(await get(port, `/api/role${state}`, 'PUT', PATH, '{"Nope":1}')).toMatchObject({
      status: 400,
      body: '{"error":{"Code":"InvalidParameterException","Message":"UpdateTaskProtection: failed to decode request"}}',
    });
    // Unknown id, or a valid one from another task's path.
    for (const [id, via] of [
      ['nope', PATH],
      ['role', 'task-b'],
    ] as const) {
      expect(await get(port, `/api/${id}${state}`, 'GET', via)).toMatchObject({
        status: 404,
        body: '{"error":{"Code":"ResourceNotFoundException","Message":"Failed to find a task for the request"}}',
      });
    }
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
