/**
 * Real Docker: the endpoints as a container sees them, in bridge mode and in an awsvpc-like setup
 * (pause container on a user-defined network, apps sharing its namespace). Every request is made
 * from inside a container with BusyBox wget/nc against 169.254.170.2.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { fromContainerMetadata, fromHttp } from '@aws-sdk/credential-providers';
import Docker from 'dockerode';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS_NOT_FOUND } from './endpoint-server.js';
import { createTaskEndpoints, type TaskEndpoints } from './task-endpoints.js';
import { eniAttachment, fakeContainer, fakeTask, FakeSource } from './test-fixtures.js';

const IMAGE = 'taskdeck-test/busybox:latest';
const RUN_LABEL = 'com.taskdeck.test-run';
const RUN = randomUUID();
const ROLE = 'arn:aws:iam::000000000000:role/taskdeck-test-role';
const docker = new Docker();

const savedEnv = { ...process.env };
/** The task's credentials as the launch hooks would supply them (here: fixed test values). */
const credentials = async () => ({
  AccessKeyId: 'AKIDTASKDECKTEST0001',
  SecretAccessKey: 'taskdeck/test/secret+value',
  Expiration: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
});
let endpoints: TaskEndpoints;

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTASKDECKTEST0001';
  process.env.AWS_SECRET_ACCESS_KEY = 'taskdeck/test/secret+value';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  endpoints = await createTaskEndpoints({
    docker,
    helperImage: IMAGE,
    labels: { [RUN_LABEL]: RUN },
  });
});

afterAll(async () => {
  await endpoints?.close();
  process.env = savedEnv;
  await removeAllOfRun();
  expect(await leftovers()).toEqual({ containers: [], networks: [] });
});

const created: { containers: string[]; networks: string[] } = { containers: [], networks: [] };

afterEach(async () => {
  await removeAllOfRun();
  expect(await leftovers()).toEqual({ containers: [], networks: [] });
});

async function removeAllOfRun(): Promise<void> {
  const cs = await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${RUN}`] } });
  // App containers first: a namespace owner cannot go while joiners hold it.
  const ordered = [...cs].sort(
    (a, b) =>
      Number(b.HostConfig?.NetworkMode?.startsWith('container:')) -
      Number(a.HostConfig?.NetworkMode?.startsWith('container:')),
  );
  for (const c of ordered)
    await docker
      .getContainer(c.Id)
      .remove({ force: true })
      .catch(() => undefined);
  const ns = await docker.listNetworks({ filters: { label: [`${RUN_LABEL}=${RUN}`] } });
  for (const n of ns)
    await docker
      .getNetwork(n.Id)
      .remove()
      .catch(() => undefined);
  created.containers.length = 0;
  created.networks.length = 0;
}

async function leftovers(): Promise<{ containers: string[]; networks: string[] }> {
  const cs = await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${RUN}`] } });
  const ns = await docker.listNetworks({ filters: { label: [`${RUN_LABEL}=${RUN}`] } });
  return { containers: cs.map((c) => c.Names[0] ?? c.Id), networks: ns.map((n) => n.Name) };
}

async function run(opts: Docker.ContainerCreateOptions): Promise<Docker.Container> {
  const c = await docker.createContainer({
    Image: IMAGE,
    ...opts,
    Labels: { ...(opts.Labels ?? {}), [RUN_LABEL]: RUN },
  });
  created.containers.push(c.id);
  await c.start();
  return c;
}

/** Runs a shell command in the container; stdout, stderr and exit code. */
async function sh(
  container: Docker.Container,
  script: string,
): Promise<{ out: string; err: string; code: number }> {
  const exec = await container.exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    docker.modem.demuxStream(
      stream,
      { write: (b: Buffer) => out.push(b) } as unknown as NodeJS.WritableStream,
      { write: (b: Buffer) => err.push(b) } as unknown as NodeJS.WritableStream,
    );
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const info = await exec.inspect();
  return {
    out: Buffer.concat(out).toString('utf8'),
    err: Buffer.concat(err).toString('utf8'),
    code: info.ExitCode ?? -1,
  };
}

async function getJson(container: Docker.Container, url: string): Promise<unknown> {
  const r = await sh(container, `wget -qO- "${url}"`);
  expect(r.code, `${url}: ${r.err}`).toBe(0);
  return JSON.parse(r.out);
}

/** Raw HTTP through nc (wget hides error bodies): status and body. */
async function rawGet(container: Docker.Container, path: string): Promise<{ status: number; body: string }> {
  const r = await sh(
    container,
    `printf 'GET ${path} HTTP/1.0\\r\\nHost: 169.254.170.2\\r\\n\\r\\n' | nc 169.254.170.2 80`,
  );
  const [head = '', body = ''] = r.out.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), body };
}

/** GET from the host side, straight to the server (not through a task's proxy). */
function hostGet(
  path: string,
  host = '127.0.0.1',
  port = endpoints.port,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function envList(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

/** The stats document the fake source holds for a container (agent shape, abridged). */
function statsDoc(id: string): Record<string, unknown> {
  return {
    id,
    read: '2026-01-01T00:00:01Z',
    network_rate_stats: { rx_bytes_per_sec: 1, tx_bytes_per_sec: 2 },
  };
}

async function checkCommon(
  app: Docker.Container,
  sidecar: Docker.Container,
  ids: { app: string; sidecar: string },
): Promise<void> {
  const root = (await getJson(app, '$ECS_CONTAINER_METADATA_URI_V4')) as Record<string, unknown>;
  expect(root.Name).toBe('app');
  expect(root.DockerId).toBe(ids.app);
  expect(root.KnownStatus).toBe('RUNNING');
  const rootV3 = (await getJson(sidecar, '$ECS_CONTAINER_METADATA_URI')) as Record<string, unknown>;
  expect(rootV3.Name).toBe('sidecar');
  expect(rootV3.DockerId).toBe(ids.sidecar);

  const task = (await getJson(app, '$ECS_CONTAINER_METADATA_URI_V4/task')) as {
    Containers: { Name: string }[];
    Revision: string;
  };
  expect(task.Containers.map((c) => c.Name).sort()).toEqual(['app', 'sidecar']);
  expect(task.Revision).toBe('3');

  // Stats are what the engine's stream holds (the source); here only the app has a sample.
  const stats = (await getJson(app, '$ECS_CONTAINER_METADATA_URI_V4/stats')) as Record<string, unknown>;
  expect(stats).toEqual(statsDoc(ids.app));
  const taskStats = (await getJson(app, '$ECS_CONTAINER_METADATA_URI/task/stats')) as Record<string, unknown>;
  expect(taskStats).toEqual({ [ids.app]: statsDoc(ids.app), [ids.sidecar]: {} });

  const unknown = await rawGet(app, '/v4/not-a-real-id');
  expect(unknown.status).toBe(404);
  const unknownTask = await rawGet(app, '/v3/not-a-real-id/task');
  expect(unknownTask.status).toBe(404);

  const creds = (await getJson(app, 'http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI')) as Record<
    string,
    string
  >;
  expect(Object.keys(creds)).toEqual(['RoleArn', 'AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration']);
  expect(creds.RoleArn).toBe(ROLE);
  expect(creds.AccessKeyId).toBe('AKIDTASKDECKTEST0001');
  expect(creds.SecretAccessKey).toBe('taskdeck/test/secret+value');
  expect(Date.parse(creds.Expiration ?? '')).toBeGreaterThan(Date.now());

  const bad = await rawGet(app, '/v2/credentials/00000000-0000-0000-0000-000000000000');
  expect(bad.status).toBe(400);
  expect(bad.body).toBe(CREDENTIALS_NOT_FOUND);
  expect(bad.body).toBe(
    '{"code":"InvalidIdInRequest","message":"CredentialsV2Request: Credentials not found","HTTPErrorCode":400}',
  );

  // Burst: 60 concurrent requests through the relay, every answer complete and for the right container.
  const burst = await sh(
    app,
    'for i in $(seq 1 60); do (wget -qO- "$ECS_CONTAINER_METADATA_URI_V4" > /tmp/b.$i 2>/dev/null || echo FAIL $i) & done; wait; ' +
      'for i in $(seq 1 60); do grep -q \'"Name":"app"\' /tmp/b.$i || echo BAD $i; done',
  );
  expect(burst.out.trim()).toBe('');
}

describe('task endpoints (real Docker)', () => {
  it('serves metadata and credentials inside bridge-mode containers, and revokes on dispose', async () => {
    const taskId = randomBytes(16).toString('hex');
    const source = new FakeSource(
      docker,
      fakeTask(taskId, 'bridge', [
        fakeContainer(taskId, 'app'),
        fakeContainer(taskId, 'sidecar', { essential: false }),
      ]),
    );
    const prepared = await endpoints.prepareTask({
      taskId,
      taskArn: source.current.taskArn,
      family: 'demo',
      revision: 3,
      networkMode: 'bridge',
      taskRoleArn: ROLE,
      credentials,
      containerNames: ['app', 'sidecar'],
      source,
    });
    const env = prepared.env('app');
    expect(env.ECS_CONTAINER_METADATA_URI).toMatch(/^http:\/\/169\.254\.170\.2\/v3\/[0-9a-f-]{36}$/);
    expect(env.ECS_CONTAINER_METADATA_URI_V4).toMatch(/^http:\/\/169\.254\.170\.2\/v4\/[0-9a-f-]{36}$/);
    expect(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI).toMatch(/^\/v2\/credentials\/[0-9a-f-]{36}$/);

    const containers: Record<string, Docker.Container> = {};
    for (const name of ['app', 'sidecar']) {
      const c = await run({
        name: `taskdeck-test-${taskId.slice(0, 8)}-${name}`,
        Cmd: ['sleep', '300'],
        Env: envList(prepared.env(name)),
        HostConfig: { NetworkMode: 'bridge', ExtraHosts: [...prepared.extraHosts] },
      });
      source.ids.set(name, c.id);
      await prepared.attach(c.id);
      containers[name] = c;
    }
    const app = containers.app!;
    source.statsDocs.set('app', statsDoc(app.id));
    await checkCommon(app, containers.sidecar!, { app: app.id, sidecar: containers.sidecar!.id });
    const helpers = await docker.listContainers({
      all: true,
      filters: {
        label: [
          'com.taskdeck.role=endpoint-helper',
          `com.taskdeck.task-id=${taskId}`,
          'com.taskdeck.managed=true',
        ],
      },
    });
    expect(helpers).toHaveLength(1); // the proxy; route containers are gone

    const credPath = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI!;
    const metaPath = new URL(env.ECS_CONTAINER_METADATA_URI!).pathname;
    // A valid id from the host (not through the task's proxy) is unknown, on every listen address.
    for (const host of endpoints.listenHosts) {
      expect(await hostGet(credPath, host)).toEqual({ status: 400, body: CREDENTIALS_NOT_FOUND });
      expect((await hostGet(metaPath, host)).status).toBe(404);
    }
    expect((await prepared.request(credPath)).status).toBe(200);
    const disposing = prepared.dispose();
    // Revoked synchronously, before the helpers are even gone.
    expect(await prepared.request(credPath)).toMatchObject({ status: 400, body: CREDENTIALS_NOT_FOUND });
    expect((await prepared.request(metaPath)).status).toBe(404);
    await disposing;
    const remaining = await docker.listContainers({
      all: true,
      filters: { label: [`com.taskdeck.task-id=${taskId}`] },
    });
    expect(remaining).toEqual([]);
  });

  it("answers an id only through its own task's proxy: another task, a plain container and the host get the unknown-id answers", async () => {
    const tasks = await Promise.all(
      ['a', 'b'].map(async (label) => {
        const taskId = randomBytes(16).toString('hex');
        const source = new FakeSource(docker, fakeTask(taskId, 'bridge', [fakeContainer(taskId, 'app')]));
        const prepared = await endpoints.prepareTask({
          taskId,
          taskArn: source.current.taskArn,
          family: 'demo',
          revision: 3,
          networkMode: 'bridge',
          taskRoleArn: `${ROLE}-${label}`,
          credentials,
          containerNames: ['app'],
          source,
        });
        const app = await run({
          name: `taskdeck-test-${taskId.slice(0, 8)}-app`,
          Cmd: ['sleep', '300'],
          Env: envList(prepared.env('app')),
          HostConfig: { NetworkMode: 'bridge' },
        });
        source.ids.set('app', app.id);
        await prepared.attach(app.id);
        return { prepared, app, env: prepared.env('app') };
      }),
    );
    const [a, b] = tasks as [(typeof tasks)[0], (typeof tasks)[0]];
    const aCred = a.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI!;
    const aMeta = new URL(a.env.ECS_CONTAINER_METADATA_URI_V4!).pathname;
    // Each task reads its own.
    expect((await rawGet(a.app, aCred)).status).toBe(200);
    expect(
      JSON.parse((await rawGet(b.app, b.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI!)).body),
    ).toMatchObject({
      RoleArn: `${ROLE}-b`,
    });
    // Task B, with task A's valid ids, through its own proxy.
    expect(await rawGet(b.app, aCred)).toEqual({ status: 400, body: CREDENTIALS_NOT_FOUND });
    for (const p of [aMeta, `${aMeta}/task`, `${aMeta}/stats`, `${aMeta}/task/stats`])
      expect((await rawGet(b.app, p)).status).toBe(404);
    // A container on the bridge that talks to the server directly (not through a proxy).
    const gateway = endpoints.listenHosts.find((h) => h !== '127.0.0.1');
    expect(gateway, 'the server listens on the bridge gateway').toBeDefined();
    const direct = await sh(
      b.app,
      `printf 'GET ${aCred} HTTP/1.0\\r\\n\\r\\n' | nc ${gateway} ${endpoints.port}`,
    );
    expect(direct.out.split('\r\n\r\n')[1]).toBe(CREDENTIALS_NOT_FOUND);
    // The host.
    expect(await hostGet(aCred)).toEqual({ status: 400, body: CREDENTIALS_NOT_FOUND });
    expect((await hostGet(aMeta)).status).toBe(404);
    await Promise.all(tasks.map((t) => t.prepared.dispose()));
  });

  it('serves the awsvpc shape inside a shared namespace without taking the task port 80', async () => {
    const taskId = randomBytes(16).toString('hex');
    const network = await docker.createNetwork({
      Name: `taskdeck-test-${taskId.slice(0, 12)}`,
      Driver: 'bridge',
      Labels: { [RUN_LABEL]: RUN },
    });
    created.networks.push(network.id);
    const pause = await run({
      name: `taskdeck-test-${taskId.slice(0, 8)}-pause`,
      Cmd: ['sleep', '300'],
      HostConfig: { NetworkMode: network.id },
    });
    const pauseInfo = await pause.inspect();
    const net = Object.values(pauseInfo.NetworkSettings.Networks)[0]!;
    const source = new FakeSource(
      docker,
      fakeTask(taskId, 'awsvpc', [fakeContainer(taskId, 'app'), fakeContainer(taskId, 'sidecar')], {
        attachments: [eniAttachment({ ip: net.IPAddress, mac: net.MacAddress })],
      }),
    );
    const prepared = await endpoints.prepareTask({
      taskId,
      taskArn: source.current.taskArn,
      family: 'demo',
      revision: 3,
      networkMode: 'awsvpc',
      taskRoleArn: ROLE,
      credentials,
      containerNames: ['app', 'sidecar'],
      source,
    });
    await prepared.attach(pause.id);

    const app = await run({
      name: `taskdeck-test-${taskId.slice(0, 8)}-app`,
      // The app serves port 80 itself: the endpoint must not hold it in the task's namespace.
      Cmd: [
        'sh',
        '-c',
        'mkdir -p /tmp/www && echo app-web > /tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www',
      ],
      Env: envList(prepared.env('app')),
      HostConfig: { NetworkMode: `container:${pause.id}` },
    });
    source.ids.set('app', app.id);
    const sidecar = await run({
      name: `taskdeck-test-${taskId.slice(0, 8)}-sidecar`,
      Cmd: ['sleep', '300'],
      Env: envList(prepared.env('sidecar')),
      HostConfig: { NetworkMode: `container:${pause.id}` },
    });
    source.ids.set('sidecar', sidecar.id);

    expect((await sh(sidecar, 'sleep 0.3; wget -qO- http://127.0.0.1/')).out.trim()).toBe('app-web');
    expect((await app.inspect()).State.Running).toBe(true);
    source.statsDocs.set('app', statsDoc(app.id));
    await checkCommon(app, sidecar, { app: app.id, sidecar: sidecar.id });

    const root = (await getJson(sidecar, '$ECS_CONTAINER_METADATA_URI_V4')) as {
      Networks: Record<string, unknown>[];
    };
    const subnet = ((await network.inspect()) as { IPAM: { Config: { Subnet: string }[] } }).IPAM.Config[0]!
      .Subnet;
    expect(root.Networks[0]).toEqual({
      NetworkMode: 'awsvpc',
      IPv4Addresses: [net.IPAddress],
      AttachmentIndex: 0,
      MACAddress: net.MacAddress,
      IPv4SubnetCIDRBlock: subnet,
      PrivateDNSName: `ip-${net.IPAddress.replace(/\./g, '-')}.ec2.internal`,
      SubnetGatewayIpv4Address: `${net.Gateway}/${net.IPPrefixLen}`,
      // As the agent writes awsvpc networks: the task namespace's resolver and search list.
      DomainNameServers: expect.any(Array),
      DomainNameSearchList: expect.any(Array),
    });
    const task = (await getJson(sidecar, '$ECS_CONTAINER_METADATA_URI_V4/task')) as { VPCID?: string };
    expect(task.VPCID).toMatch(/^vpc-/);

    const credPath = prepared.env('app').AWS_CONTAINER_CREDENTIALS_RELATIVE_URI!;
    expect(await hostGet(credPath)).toEqual({ status: 400, body: CREDENTIALS_NOT_FOUND });
    await prepared.dispose();
    expect((await prepared.request(credPath)).status).toBe(400);
    const remaining = await docker.listContainers({
      all: true,
      filters: { label: [`com.taskdeck.task-id=${taskId}`] },
    });
    expect(remaining).toEqual([]);
  });

  it('gives host-mode containers loopback URLs and no route helpers', async () => {
    const taskId = randomBytes(16).toString('hex');
    const source = new FakeSource(docker, fakeTask(taskId, 'host', [fakeContainer(taskId, 'app')]));
    const prepared = await endpoints.prepareTask({
      taskId,
      taskArn: source.current.taskArn,
      family: 'demo',
      revision: 3,
      networkMode: 'host',
      taskRoleArn: ROLE,
      credentials,
      containerNames: ['app'],
      source,
    });
    const env = prepared.env('app');
    // The task's own loopback listener (not the shared server's port): only it answers these ids.
    const own = Number(new URL(env.ECS_CONTAINER_METADATA_URI!).port);
    expect(own).not.toBe(endpoints.port);
    expect(env.ECS_CONTAINER_METADATA_URI).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${own}/v3/`));
    expect(env.AWS_CONTAINER_CREDENTIALS_FULL_URI).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${own}/v2/credentials/`),
    );
    const fullPath = new URL(env.AWS_CONTAINER_CREDENTIALS_FULL_URI!).pathname;
    expect(await hostGet(fullPath)).toEqual({ status: 400, body: CREDENTIALS_NOT_FOUND });
    expect(env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI).toBeUndefined();
    const app = await run({ Cmd: ['sleep', '300'], Env: envList(env), HostConfig: { NetworkMode: 'host' } });
    source.ids.set('app', app.id);
    await prepared.attach(app.id);
    const root = (await getJson(app, '$ECS_CONTAINER_METADATA_URI_V4')) as { Name: string };
    expect(root.Name).toBe('app');
    const creds = (await getJson(app, '$AWS_CONTAINER_CREDENTIALS_FULL_URI')) as { RoleArn: string };
    expect(creds.RoleArn).toBe(ROLE);

    // The real SDK providers accept the document (Token must be a string, Expiration RFC3339).
    const fullUri = env.AWS_CONTAINER_CREDENTIALS_FULL_URI!;
    const viaHttp = await fromHttp({ awsContainerCredentialsFullUri: fullUri })();
    expect(viaHttp.accessKeyId).toBe('AKIDTASKDECKTEST0001');
    expect(viaHttp.expiration!.getTime()).toBeGreaterThan(Date.now());
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = fullUri;
    try {
      const viaContainer = await fromContainerMetadata()();
      expect(viaContainer.secretAccessKey).toBe('taskdeck/test/secret+value');
    } finally {
      delete process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI;
    }
    await prepared.dispose();
  });

  it('gives no credentials URI to a task without a role', async () => {
    const taskId = randomBytes(16).toString('hex');
    const source = new FakeSource(docker, fakeTask(taskId, 'bridge', [fakeContainer(taskId, 'app')]));
    const prepared = await endpoints.prepareTask({
      taskId,
      taskArn: source.current.taskArn,
      family: 'demo',
      revision: 3,
      networkMode: 'bridge',
      containerNames: ['app'],
      source,
    });
    // The agent URI (task protection) is given to every container, a role or not.
    expect(Object.keys(prepared.env('app')).sort()).toEqual([
      'ECS_AGENT_URI',
      'ECS_CONTAINER_METADATA_URI',
      'ECS_CONTAINER_METADATA_URI_V4',
    ]);
    await prepared.dispose();
  });
});
