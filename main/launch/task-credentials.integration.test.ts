/**
 * Issue 10, items 4–5, through the full runtime (engine + endpoints + hooks) on real Docker:
 *  - the data dir is private (0700/0600, tightened at start-up with a notice) and holds no
 *    endpoint id; a valid credentials id answers only through its own task's path;
 *  - a task with taskRoleArn gets its role assumed through STS (session `taskdeck-<task id>`),
 *    the real expiry, refreshed before it ends; AccessDenied or an unreachable STS fails the
 *    start with a named reason; own credentials only when chosen, as GetSessionToken ones, with a
 *    warning on the task.
 * STS is a local fake (main/test-support/fake-sts.ts) reached by the real SDK client through
 * AWS_ENDPOINT_URL_STS.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TaskStateChangeEvent } from '../../contract/dto.js';
import { startFakeSts, type FakeSts } from '../test-support/fake-sts.js';
import {
  byName,
  container,
  FOREVER,
  leftovers,
  NOTHING_LEFT,
  sh,
  taskDef,
  TEST_IMAGE,
  waitFor,
} from '../test-support/engine-fixture.js';
import { createEngineRuntime, type EngineRuntime } from './create-engine-runtime.js';

const docker = new Docker();
const NOT_FOUND_BODY =
  '{"code":"InvalidIdInRequest","message":"CredentialsV2Request: Credentials not found","HTTPErrorCode":400}';
const LOCAL_KEY = 'AKIALOCALDEVELOPER01';
const LOCAL_SECRET = 'developer-long-lived-secret';
const saved = { ...process.env };
let sts: FakeSts;
let rt: EngineRuntime;
let dataDir: string;
const notices: string[] = [];
const events: TaskStateChangeEvent[] = [];

beforeAll(async () => {
  sts = await startFakeSts();
  process.env.AWS_ACCESS_KEY_ID = LOCAL_KEY;
  process.env.AWS_SECRET_ACCESS_KEY = LOCAL_SECRET;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_ENDPOINT_URL_STS = sts.url;
  // A data dir as an older version left it: world-readable folders and files.
  dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-creds-'));
  await mkdir(join(dataDir, 'tasks', 'old-task'), { recursive: true });
  await writeFile(join(dataDir, 'state.json'), '{"pulledOnce":[]}');
  await writeFile(join(dataDir, 'tasks', 'old-task', 'logs.ndjson'), '');
  for (const d of [dataDir, join(dataDir, 'tasks'), join(dataDir, 'tasks', 'old-task')])
    await chmod(d, 0o755);
  for (const f of ['state.json', 'tasks/old-task/logs.ndjson']) await chmod(join(dataDir, f), 0o644);
  rt = await createEngineRuntime({
    docker,
    dataDir,
    helperImage: TEST_IMAGE,
    notice: (m) => notices.push(m),
    // Refresh a minute before expiry; the refresh test hands out 63-second credentials.
    credentialsRefreshMarginMs: 60_000,
  });
  rt.engine.on('event', (e) => events.push(e));
});

afterAll(async () => {
  await rt?.engine.stopAll('teardown');
  await rt?.close();
  await sts?.close();
  await rm(dataDir, { recursive: true, force: true });
  process.env = saved;
});

/** Runs a shell command inside a container (as `docker exec`) and returns its stdout. */
async function execIn(id: string, script: string): Promise<string> {
  const exec = await docker
    .getContainer(id)
    .exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  docker.modem.demuxStream(stream, out, new PassThrough());
  await new Promise((r) => stream.on('end', r));
  return text;
}

/** Raw HTTP through 169.254.170.2 from inside a container (wget hides error bodies). */
async function getInside(id: string, path: string): Promise<{ status: number; body: string }> {
  const out = await execIn(
    id,
    `printf 'GET ${path} HTTP/1.0\\r\\nHost: 169.254.170.2\\r\\n\\r\\n' | nc 169.254.170.2 80`,
  );
  const [head = '', body = ''] = out.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), body };
}

function hostGet(host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port: rt.endpoints.port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The container's own environment as Docker holds it. */
async function envOf(id: string): Promise<Record<string, string>> {
  const info = await docker.getContainer(id).inspect();
  return Object.fromEntries(
    (info.Config.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
}

/** Every file and folder under `dir` with its permission bits. */
async function modes(dir: string): Promise<{ path: string; dir: boolean; mode: number }[]> {
  const out: { path: string; dir: boolean; mode: number }[] = [];
  const walk = async (p: string): Promise<void> => {
    const st = await stat(p);
    out.push({ path: p, dir: st.isDirectory(), mode: st.mode & 0o777 });
    if (st.isDirectory()) for (const n of await readdir(p)) await walk(join(p, n));
  };
  await walk(dir);
  return out;
}

async function startSleeper(family: string, role: string, networkMode: 'bridge' | 'awsvpc', own = false) {
  const t = await rt.engine.runTask({
    taskDefinition: taskDef(family, [container('app', { stopTimeout: 1, ...sh(FOREVER) })], {
      networkMode,
      taskRoleArn: role,
    }),
    ...(own ? { passOwnCredentials: true } : {}),
  });
  const running = await waitFor(rt.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
  const id = byName(running, 'app').runtimeId!;
  // The endpoint is reachable once a request went through (bridge attaches right after start).
  await execIn(
    id,
    'for i in $(seq 1 50); do wget -qO- $ECS_CONTAINER_METADATA_URI_V4 >/dev/null 2>&1 && break; sleep 0.2; done',
  );
  return { taskId: t.taskId, id, env: await envOf(id), task: running };
}

async function stop(taskId: string): Promise<void> {
  await rt.engine.stopTask(taskId);
  await rt.engine.waitForStopped(taskId);
  expect(await leftovers(docker, taskId)).toEqual(NOTHING_LEFT);
}

describe('data on disk and the credentials endpoint (item 4)', () => {
  test('the data dir is tightened at start-up with a notice, stays 0700/0600, and holds no endpoint id; ids answer only on their own path', async () => {
    expect(notices.join('\n')).toContain(`${dataDir} was readable by other local users`);
    const a = await startSleeper('creds-a', 'arn:aws:iam::123456789012:role/a', 'bridge');
    const b = await startSleeper('creds-b', 'arn:aws:iam::123456789012:role/b', 'awsvpc');
    const aCred = a.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI!;
    const aMeta = new URL(a.env.ECS_CONTAINER_METADATA_URI_V4!).pathname;
    expect(aCred).toMatch(/^\/v2\/credentials\/[0-9a-f-]{36}$/);

    // Task A reads its own credentials through its path.
    const own = await getInside(a.id, aCred);
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body)).toMatchObject({ RoleArn: 'arn:aws:iam::123456789012:role/a' });

    // Everything on disk is private, and no file holds an id (records, events, logs, state).
    await Promise.all([rt.engine.events(a.taskId), rt.engine.logs(a.taskId)]); // flushes
    for (const m of await modes(dataDir)) expect([m.path, m.mode]).toEqual([m.path, m.dir ? 0o700 : 0o600]);
    const ids = [aCred, aMeta, b.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI!].map((p) => p.split('/').pop()!);
    for (const m of await modes(dataDir)) {
      if (m.dir) continue;
      const text = await readFile(m.path, 'latin1');
      for (const id of ids) expect(text.includes(id), `${m.path} holds an endpoint id`).toBe(false);
    }

    // The id is useless anywhere else: from the host (every listen address) …
    for (const host of rt.endpoints.listenHosts) {
      expect(await hostGet(host, aCred)).toEqual({ status: 400, body: NOT_FOUND_BODY });
      expect((await hostGet(host, aMeta)).status).toBe(404);
    }
    // … and from another task, through that task's own path.
    expect(await getInside(b.id, aCred)).toEqual({ status: 400, body: NOT_FOUND_BODY });
    for (const p of [aMeta, `${aMeta}/task`, `${aMeta}/stats`])
      expect((await getInside(b.id, p)).status).toBe(404);

    await Promise.all([stop(a.taskId), stop(b.taskId)]);
    // A stopped task's id is revoked (nothing reaches it any more; the server says unknown).
    expect(await hostGet('127.0.0.1', aCred)).toEqual({ status: 400, body: NOT_FOUND_BODY });
  });
});

describe('task-role credentials (item 5)', () => {
  test('by default the task role is assumed through STS: session taskdeck-<task id>, real expiry, never the local keys', async () => {
    const role = 'arn:aws:iam::123456789012:role/assumed';
    const before = sts.calls.length;
    const t = await startSleeper('creds-assume', role, 'bridge');
    const creds = JSON.parse(
      (await getInside(t.id, t.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI!)).body,
    ) as Record<string, string>;
    const call = sts.calls.slice(before).find((c) => c.action === 'AssumeRole' && c.params.RoleArn === role);
    expect(call).toBeDefined();
    expect(call!.params.RoleSessionName).toBe(`taskdeck-${t.taskId}`);
    expect(call!.params.DurationSeconds).toBe('3600');
    expect(call!.signedBy).toBe(LOCAL_KEY);
    expect(creds).toEqual({
      RoleArn: role,
      AccessKeyId: call!.accessKeyId,
      SecretAccessKey: `fake-secret-${call!.accessKeyId}`,
      Token: `fake-token-${call!.accessKeyId}`,
      Expiration: call!.expiration!.replace(/\.\d{3}Z$/, 'Z'),
    });
    expect(JSON.stringify(creds)).not.toContain(LOCAL_SECRET);
    expect(t.task.credentialsWarning).toBeUndefined();
    await stop(t.taskId);
  });

  test('AccessDenied: the task fails to start with a named reason, nothing created, nothing leaked', async () => {
    const role = 'arn:aws:iam::123456789012:role/forbidden';
    sts.denied.add(role);
    const t = await rt.engine.runTask({
      taskDefinition: taskDef('creds-denied', [container('app', sh(FOREVER))], { taskRoleArn: role }),
    });
    const done = await rt.engine.waitForStopped(t.taskId);
    expect(done.stopCode).toBe('TaskFailedToStart');
    expect(done.stoppedReason).toBe(
      `ResourceInitializationError: unable to assume task role ${role}: AccessDenied: User: arn:aws:iam::000000000000:user/developer is not authorized to perform: sts:AssumeRole on resource: ${role}`,
    );
    expect(byName(done, 'app').reason).toBe(done.stoppedReason);
    expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
    expect(JSON.stringify(events)).not.toContain(LOCAL_SECRET);
  });

  test('credentials are refreshed before they expire (timer), and the container gets the new ones', async () => {
    const role = 'arn:aws:iam::123456789012:role/short';
    sts.lifetimeSeconds = 63; // with the 60 s margin: refreshed about 3 s after each fetch
    try {
      const t = await startSleeper('creds-refresh', role, 'bridge');
      const path = t.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI!;
      const first = JSON.parse((await getInside(t.id, path)).body) as Record<string, string>;
      const assumed = sts.calls.filter((c) => c.action === 'AssumeRole' && c.params.RoleArn === role).length;
      // Event-driven: wait for the next AssumeRole of this role.
      await sts.waitForCalls('AssumeRole', sts.calls.filter((c) => c.action === 'AssumeRole').length + 1);
      const refreshed = sts.calls.filter((c) => c.action === 'AssumeRole' && c.params.RoleArn === role);
      expect(refreshed.length).toBeGreaterThan(assumed);
      const second = JSON.parse((await getInside(t.id, path)).body) as Record<string, string>;
      expect(second.AccessKeyId).not.toBe(first.AccessKeyId);
      expect(Date.parse(second.Expiration!)).toBeGreaterThan(Date.parse(first.Expiration!));
      expect(refreshed.every((c) => c.params.RoleSessionName === `taskdeck-${t.taskId}`)).toBe(true);
      await stop(t.taskId);
    } finally {
      delete sts.lifetimeSeconds;
    }
  });

  test('own credentials only when chosen: short-lived GetSessionToken ones, and a visible warning on the task', async () => {
    const role = 'arn:aws:iam::123456789012:role/own';
    const before = sts.calls.length;
    const t = await startSleeper('creds-own', role, 'bridge', true);
    const creds = JSON.parse(
      (await getInside(t.id, t.env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI!)).body,
    ) as Record<string, string>;
    const calls = sts.calls.slice(before);
    expect(calls.map((c) => c.action)).toEqual(['GetSessionToken']);
    expect(calls[0]!.signedBy).toBe(LOCAL_KEY);
    expect(creds.AccessKeyId).toBe(calls[0]!.accessKeyId);
    expect(creds.AccessKeyId).not.toBe(LOCAL_KEY);
    expect(t.task.credentialsWarning).toContain(`instead of its task role ${role}`);
    expect(rt.engine.describeTask(t.taskId)?.credentialsWarning).toBe(t.task.credentialsWarning);
    await stop(t.taskId);
  });

  test('no STS reachable: the task fails to start naming the reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskdeck-creds-offline-'));
    // A port nothing listens on (the fake's, once closed).
    const gone = await startFakeSts();
    await gone.close();
    const offline = await createEngineRuntime({
      docker,
      dataDir: dir,
      helperImage: TEST_IMAGE,
      stsEndpoint: gone.url,
      notice: () => {},
    });
    try {
      const role = 'arn:aws:iam::123456789012:role/offline';
      const t = await offline.engine.runTask({
        taskDefinition: taskDef('creds-offline', [container('app', sh(FOREVER))], { taskRoleArn: role }),
      });
      const done = await offline.engine.waitForStopped(t.taskId);
      expect(done.stopCode).toBe('TaskFailedToStart');
      expect(done.stoppedReason).toMatch(
        new RegExp(`^ResourceInitializationError: unable to assume task role ${role}: .*ECONNREFUSED`),
      );
      expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
    } finally {
      await offline.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
