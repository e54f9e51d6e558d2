/**
 * Issue: what the application inside the container sees (semantics §8–§9), through the full
 * runtime (engine + endpoints + hooks) on real Docker, checked from inside real containers.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TaskDetail } from '../../contract/dto.js';
import {
  byName,
  container,
  leftovers,
  NOTHING_LEFT,
  sh,
  taskDef,
  waitFor,
  waitForLog,
} from '../test-support/engine-fixture.js';
import { startFakeSts, type FakeSts } from '../test-support/fake-sts.js';
import { createEngineRuntime, type EngineRuntime } from './create-engine-runtime.js';

const docker = new Docker();
let rt: EngineRuntime;
let dataDir: string;
const lines: string[] = [];
const events: string[] = [];
const saved = { ...process.env };
// Task roles are assumed through STS: a local fake, reached by the real SDK client.
let sts: FakeSts;

beforeAll(async () => {
  sts = await startFakeSts();
  process.env.AWS_ENDPOINT_URL_STS = sts.url;
  process.env.AWS_ACCESS_KEY_ID = 'AKIALOCALTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'local-secret-key';
  dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-net-'));
  rt = await createEngineRuntime({ docker, dataDir });
  rt.engine.on('logs', (ls) => lines.push(...ls.map((l) => `${l.container}|${l.text}`)));
  rt.engine.on('event', (e) => events.push(JSON.stringify(e)));
});
afterAll(async () => {
  await rt?.engine.stopAll('teardown');
  await rt?.close();
  await rm(dataDir, { recursive: true, force: true });
  await sts?.close();
  process.env = saved;
});

async function runToEnd(
  def: ReturnType<typeof taskDef>,
  extra: { secretsFile?: string; environmentFileScope?: { folder: string } } = {},
): Promise<{ done: TaskDetail; out: (c: string) => string[] }> {
  const t = await rt.engine.runTask({ taskDefinition: def, ...extra });
  const done = await rt.engine.waitForStopped(t.taskId);
  const logs = await rt.engine.logs(t.taskId);
  expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
  return { done, out: (c) => logs.filter((l) => l.container === c).map((l) => l.text) };
}

describe('awsvpc', () => {
  test('containers share one namespace (localhost), the ENI is Docker’s real one, metadata names each container', async () => {
    const def = taskDef(
      'awsvpc-pair',
      [
        container('server', {
          essential: false,
          stopTimeout: 1,
          ...sh('echo pong > /tmp/index.html; exec httpd -f -p 8080 -h /tmp'),
        }),
        container('client', {
          ...sh(
            'sleep 0.5; wget -qO- http://127.0.0.1:8080/index.html; ip -o -4 addr show eth0; cat /sys/class/net/eth0/address; ' +
              'wget -qO- $ECS_CONTAINER_METADATA_URI_V4; echo; wget -qO- $ECS_CONTAINER_METADATA_URI_V4/task; echo; ' +
              'wget -qO- $ECS_CONTAINER_METADATA_URI_V4/stats | grep -c memory_stats; wget -qO- $ECS_CONTAINER_METADATA_URI/task/stats | head -c 100; echo; ' +
              // stderr dropped: Docker does not order stderr against stdout, so wget's 404 line could land anywhere.
              'wget -qO- $ECS_CONTAINER_METADATA_URI_V4-unknown 2>/dev/null || echo unknown-failed; env | grep -c AWS_CONTAINER_CREDENTIALS || true',
          ),
          dependsOn: [{ containerName: 'server', condition: 'START' }],
        }),
      ],
      { networkMode: 'awsvpc' },
    );
    const t = await rt.engine.runTask({ taskDefinition: def });
    const running = await waitFor(
      rt.engine,
      t.taskId,
      (x) => x.attachments.length > 0 && byName(x, 'client').lastStatus !== 'PENDING',
    );
    // ENI values equal what Docker says about the task network.
    const eni = Object.fromEntries(running.attachments[0]!.details.map((d) => [d.name, d.value]));
    const pause = (
      await docker.listContainers({
        filters: { label: [`com.taskdeck.task-id=${t.taskId}`, 'com.taskdeck.role=pause'] },
      })
    )[0]!;
    const info = await docker.getContainer(pause.Id).inspect();
    const net = Object.values(info.NetworkSettings.Networks)[0]!;
    expect(eni.privateIPv4Address).toBe(net.IPAddress);
    expect(eni.macAddress).toBe(net.MacAddress);
    expect(running.attachments[0]!.status).toBe('ATTACHED');
    const done = await rt.engine.waitForStopped(t.taskId);
    const out = (await rt.engine.logs(t.taskId)).filter((l) => l.container === 'client').map((l) => l.text);
    expect(out[0]).toBe('pong');
    expect(out[1]).toContain(`inet ${net.IPAddress}/`);
    expect(out[2]).toBe(net.MacAddress);
    const root = JSON.parse(out[3]!) as {
      Name: string;
      DockerId: string;
      Networks: { NetworkMode: string; IPv4Addresses: string[]; MACAddress: string }[];
    };
    expect(root.Name).toBe('client');
    expect(root.DockerId).toBe(byName(done, 'client').runtimeId);
    expect(root.Networks[0]).toMatchObject({
      NetworkMode: 'awsvpc',
      IPv4Addresses: [net.IPAddress],
      MACAddress: net.MacAddress,
    });
    const task = JSON.parse(out[4]!) as { TaskARN: string; Containers: { Name: string }[]; Revision: string };
    expect(task.TaskARN).toBe(t.taskArn);
    // No task cpu/memory → not Fargate-compatible → EC2, which lists the pause container too.
    expect(task.Containers.map((c) => c.Name).sort()).toEqual(['client', 'server', '~internal~ecs~pause']);
    expect(typeof task.Revision).toBe('string');
    expect(out[5]).toBe('1');
    expect(out[6]).toMatch(/^\{"[0-9a-f]{64}":/);
    expect(out).toContain('unknown-failed');
    expect(out.at(-1)).toBe('0'); // no role → no credentials variable
    expect(done.attachments[0]!.status).toBe('DELETED');
    expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
  });

  test('a port already taken on the host fails the task to start, cleanly', async () => {
    const blocker = createServer().listen(0, '0.0.0.0');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { done } = await runToEnd(
        taskDef(
          'awsvpc-conflict',
          [
            container('app', {
              ...sh('sleep 5'),
              portMappings: [{ containerPort: port, hostPort: port, protocol: 'tcp' }],
            }),
          ],
          {
            networkMode: 'awsvpc',
          },
        ),
      );
      expect(done.stopCode).toBe('TaskFailedToStart');
      expect(done.stoppedReason).toMatch(/^CannotStartContainerError: /);
      expect(done.stoppedReason).toContain(String(port));
    } finally {
      blocker.close();
    }
  });
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

describe('re-adoption', () => {
  for (const networkMode of ['awsvpc', 'bridge'] as const) {
    test(`${networkMode}: after an engine restart the containers' metadata and credentials URIs still answer`, async () => {
      const role = 'arn:aws:iam::123456789012:role/readopt';
      const t = await rt.engine.runTask({
        taskDefinition: taskDef(
          `readopt-${networkMode}`,
          [container('app', sh('trap "exit 0" TERM; while true; do sleep 0.2; done'))],
          {
            networkMode,
            taskRoleArn: role,
          },
        ),
      });
      const running = await waitFor(rt.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
      const id = byName(running, 'app').runtimeId!;
      const probe =
        'for i in $(seq 1 30); do wget -qO- $ECS_CONTAINER_METADATA_URI_V4 > /tmp/m 2>/dev/null && break; sleep 0.2; done; cat /tmp/m; echo; ' +
        'wget -qO- http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI';
      expect(await execIn(id, probe)).toContain('"Name":"app"');
      await rt.close();
      rt = await createEngineRuntime({ docker, dataDir });
      const [meta, creds] = (await execIn(id, probe)).split('\n');
      expect(JSON.parse(meta!).Name).toBe('app');
      expect(JSON.parse(creds!).RoleArn).toBe(role);
      await rt.engine.stopTask(t.taskId);
      await rt.engine.waitForStopped(t.taskId);
      expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
    });
  }
});

describe('bridge, host, none', () => {
  test('bridge: no hostPort → a dynamic host port reported in networkBindings, reachable from the host', async () => {
    const t = await rt.engine.runTask({
      taskDefinition: taskDef('bridge-ports', [
        container('web', {
          stopTimeout: 1,
          ...sh('echo hi > /tmp/index.html; echo serving; exec httpd -f -p 80 -h /tmp'),
          portMappings: [{ containerPort: 80, protocol: 'tcp' }],
        }),
      ]),
    });
    const up = await waitFor(rt.engine, t.taskId, (x) => byName(x, 'web').networkBindings.length > 0);
    const b = byName(up, 'web').networkBindings[0]!;
    expect(b.containerPort).toBe(80);
    expect(b.hostPort).toBeGreaterThan(1024);
    // RUNNING is the container's start, not the server's: its program runs once the endpoint
    // gate opens (endpoints/endpoint-gate.ts), then httpd binds.
    await waitForLog(rt.engine, t.taskId, 'web', 'serving');
    let res: Response | undefined;
    for (let i = 0; i < 50 && !res; i++) {
      res = await fetch(`http://127.0.0.1:${b.hostPort}/index.html`).catch(
        () => new Promise<undefined>((r) => setTimeout(() => r(undefined), 100)),
      );
    }
    expect((await res!.text()).trim()).toBe('hi');
    await rt.engine.stopTask(t.taskId);
    await rt.engine.waitForStopped(t.taskId);
    expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
  });

  test('bridge with a task role: credentials at 169.254.170.2 with the task’s RoleArn; unknown id → exact 400', async () => {
    const role = 'arn:aws:iam::123456789012:role/app-role';
    const { out } = await runToEnd(
      taskDef(
        'bridge-role',
        [
          container('app', {
            ...sh(
              'for i in 1 2 3 4 5 6 7 8 9 10; do wget -qO- http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI > /tmp/c 2>/dev/null && break; sleep 0.3; done; cat /tmp/c; echo; ' +
                'wget -S -qO- http://169.254.170.2/v2/credentials/not-a-real-id 2>&1 | tail -1; echo',
            ),
          }),
        ],
        { taskRoleArn: role },
      ),
    );
    const creds = JSON.parse(out('app')[0]!) as Record<string, string>;
    expect(creds.RoleArn).toBe(role);
    // The role assumed with the local keys, never the local keys themselves.
    expect(creds.AccessKeyId).toMatch(/^ASIAFAKEROLE/);
    expect(Date.parse(creds.Expiration!)).toBeGreaterThan(Date.now());
    // the credentials themselves are the container's business: Taskdeck's events never carry them
    expect(events.join('\n')).not.toContain('local-secret-key');
  });

  test('host and none network modes', async () => {
    const host = await runToEnd(
      taskDef('mode-host', [container('app', sh('ip -o link | grep -c docker0 || true'))], {
        networkMode: 'host',
      }),
    );
    expect(Number(host.out('app')[0])).toBeGreaterThanOrEqual(1);
    const none = await runToEnd(
      taskDef(
        'mode-none',
        [container('app', sh('ip -o link | cut -d: -f2 | tr -d " " | sort | tr "\\n" ,'))],
        { networkMode: 'none' },
      ),
    );
    expect(none.out('app')[0]).toBe('lo,');
  });
});

describe('secrets and private registries', () => {
  test('secrets from the local file reach the container and appear nowhere else', async () => {
    const file = join(dataDir, 'secrets.json');
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf';
    await writeFile(
      file,
      JSON.stringify({
        [arn]: JSON.stringify({ password: 'hunter2-very-secret' }),
        '/app/token': 'tok-very-secret',
      }),
    );
    const t = await rt.engine.runTask({
      taskDefinition: taskDef('secrets', [
        container('app', {
          ...sh(
            '[ "$DB_PASSWORD" = hunter2-very-secret ] && [ "$TOKEN" = tok-very-secret ] && echo secrets-ok',
          ),
          secrets: [
            { name: 'DB_PASSWORD', valueFrom: `${arn}:password::` },
            { name: 'TOKEN', valueFrom: '/app/token' },
          ],
        }),
      ]),
      secretsFile: file,
    });
    const done = await rt.engine.waitForStopped(t.taskId);
    expect(byName(done, 'app').exitCode).toBe(0);
    const logs = await rt.engine.logs(t.taskId);
    expect(logs.map((l) => l.text)).toEqual(['secrets-ok']);
    const everything = JSON.stringify([done, await rt.engine.events(t.taskId), logs, events]);
    expect(everything).not.toContain('hunter2-very-secret');
    expect(everything).not.toContain('tok-very-secret');
    expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
  });

  test('environmentFiles: later files override earlier ones, environment and secrets override files', async () => {
    const first = join(dataDir, 'first.env');
    const second = join(dataDir, 'second.env');
    const secrets = join(dataDir, 'env-secrets.json');
    await writeFile(first, '# comment\nFROM_FILE=one\nSHARED=first\nBY_ENV=file\nBY_SECRET=file\n');
    await writeFile(second, 'SHARED=second\n');
    await writeFile(secrets, JSON.stringify({ '/app/by-secret': 'secret-wins' }));
    const { done, out } = await runToEnd(
      taskDef('env-files', [
        container('app', {
          ...sh('echo "$FROM_FILE $SHARED $BY_ENV $BY_SECRET"'),
          environmentFiles: [
            { value: first, type: 's3' },
            { value: `file://${second}`, type: 's3' },
          ],
          environment: [{ name: 'BY_ENV', value: 'env-wins' }],
          secrets: [{ name: 'BY_SECRET', valueFrom: '/app/by-secret' }],
        }),
      ]),
      { secretsFile: secrets, environmentFileScope: { folder: dataDir } },
    );
    expect(byName(done, 'app').exitCode).toBe(0);
    expect(out('app')).toEqual(['one second env-wins secret-wins']);
  });

  test('a missing environment file fails the task with ResourceInitializationError and creates nothing', async () => {
    const missing = join(dataDir, 'nope.env');
    const { done } = await runToEnd(
      taskDef('env-file-missing', [
        container('app', { ...sh('true'), environmentFiles: [{ value: missing, type: 's3' }] }),
      ]),
    );
    expect(done.stopCode).toBe('TaskFailedToStart');
    expect(done.stoppedReason).toMatch(/^ResourceInitializationError: failed to download env files: /);
    expect(done.stoppedReason).toContain(missing);
    expect(byName(done, 'app').runtimeId).toBeUndefined();
  });

  test('an unresolvable secret fails the task with ResourceInitializationError and creates nothing', async () => {
    const { done } = await runToEnd(
      taskDef('secret-missing', [
        container('app', { ...sh('true'), secrets: [{ name: 'X', valueFrom: '/does/not/exist' }] }),
      ]),
    );
    expect(done.stopCode).toBe('TaskFailedToStart');
    expect(done.stoppedReason).toMatch(/^ResourceInitializationError: /);
    expect(byName(done, 'app').runtimeId).toBeUndefined();
  });

  test('a private image pulls from the authenticated registry with repositoryCredentials', async () => {
    const image = '127.0.0.1:5001/taskdeck/private:latest';
    await docker
      .getImage(image)
      .remove({ force: true })
      .catch(() => {});
    const file = join(dataDir, 'registry.json');
    const cred = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:registry-XyZ';
    await writeFile(
      file,
      JSON.stringify({ [cred]: JSON.stringify({ username: 'taskdeck', password: 's3cret-pass' }) }),
    );
    try {
      const denied = await runToEnd(
        taskDef('private-denied', [container('app', { image, ...sh('echo pulled') })]),
      );
      expect(denied.done.stopCode).toBe('TaskFailedToStart');
      expect(denied.done.stoppedReason).toMatch(/^CannotPullContainerError: /);
      // Credentials that cannot be resolved: ResourceInitializationError, nothing created.
      const unresolved = await runToEnd(
        taskDef('private-unresolved', [
          container('app', {
            image,
            ...sh('echo pulled'),
            repositoryCredentials: { credentialsParameter: `${cred}-missing` },
          }),
        ]),
        { secretsFile: file },
      );
      expect(unresolved.done.stopCode).toBe('TaskFailedToStart');
      expect(unresolved.done.stoppedReason).toMatch(/^ResourceInitializationError: /);
      expect(unresolved.done.stoppedReason).toContain(`${cred}-missing`);
      expect(byName(unresolved.done, 'app').runtimeId).toBeUndefined();
      const ok = await runToEnd(
        taskDef('private-ok', [
          container('app', {
            image,
            ...sh('echo pulled'),
            repositoryCredentials: { credentialsParameter: cred },
          }),
        ]),
        { secretsFile: file },
      );
      expect(ok.out('app')).toEqual(['pulled']);
      expect(byName(ok.done, 'app').imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    } finally {
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => {});
    }
  });
});
