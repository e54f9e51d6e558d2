/**
 * Issue 12 item 7: a secrets file chosen in Settings is what a task launched through the API (web
 * mode and the desktop app share this path) resolves its `secrets` from, on real Docker; the value
 * reaches the container's environment and nothing the renderer can see.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerConnectionStatus, TaskDetail } from '../../contract/dto.js';
import { createAppRuntime, type AppRuntime } from '../composition-root.js';
import { labelledLeftovers, NOTHING_LEFT } from '../test-support/engine-fixture.js';
import { startFakeSsm, type FakeSsm } from '../test-support/fake-ssm.js';
import { dispatchOperation } from './dispatch.js';

const VALUE = `settings-secret-${randomBytes(12).toString('hex')}`;
const SHA = createHash('sha256').update(VALUE).digest('hex');
const REMOTE = `ssm-secret-${randomBytes(12).toString('hex')}`;
const REMOTE_SHA = createHash('sha256').update(REMOTE).digest('hex');
const sha = (name: string) => `printf %s "$${name}" | sha256sum`;
const BIN = join(import.meta.dirname, '../../bin/taskdeck.js');
/** The AWS SDK's environment for the fake SSM; restored afterwards. */
const AWS_ENV = [
  'AWS_ENDPOINT_URL_SSM',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
  'AWS_PROFILE',
];

describe('Settings → secrets file, launched through the API', () => {
  let dataDir: string;
  let secretsDir: string;
  let runtime: AppRuntime;
  const published: string[] = [];
  const docker = new Docker();
  let ssm: FakeSsm;
  const savedEnv = Object.fromEntries(AWS_ENV.map((key) => [key, process.env[key]]));

  const call = async (op: string, input: unknown) => {
    const result = await dispatchOperation(runtime.handlers, op, input);
    if (!result.ok) throw new Error(`${op}: ${result.error.message}`);
    return result.value;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'taskdeck-settings-secrets-'));
    secretsDir = mkdtempSync(join(tmpdir(), 'taskdeck-settings-secrets-file-'));
    writeFileSync(join(secretsDir, 'secrets.json'), JSON.stringify({ '/app/token': VALUE }), { mode: 0o600 });
    ssm = await startFakeSsm({ '/app/remote': REMOTE });
    process.env.AWS_ENDPOINT_URL_SSM = ssm.url;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDSETTINGSSECRETS';
    process.env.AWS_SECRET_ACCESS_KEY = 'local-secret-key';
    process.env.AWS_REGION = 'eu-west-1';
    delete process.env.AWS_PROFILE;
    runtime = await createAppRuntime({ mode: 'web', dataDir, notice: () => {} });
    for (const topic of ['tasks:changed', 'logs:lines', 'docker:status'] as const) {
      runtime.bus.subscribe(topic, (payload) => published.push(JSON.stringify(payload)));
    }
    // Connected: the first attempt started with the runtime; wait for its status, not a timer.
    if (!runtime.docker.status().connected) {
      await new Promise<void>((resolve, reject) => {
        const off = runtime.bus.subscribe('docker:status', (status: DockerConnectionStatus) => {
          if (status.connected) {
            off();
            resolve();
          } else if (!status.connecting) {
            off();
            reject(new Error(`Docker did not connect: ${JSON.stringify(status)}`));
          }
        });
        if (runtime.docker.status().connected) {
          off();
          resolve();
        }
      });
    }
  }, 120_000);

  afterAll(async () => {
    await runtime?.close();
    await ssm?.close();
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(secretsDir, { recursive: true, force: true });
  }, 120_000);

  it('resolves the secret into the container env; the value is in no API answer or pushed message', async () => {
    const settings = await call('settings:update', { secretsFile: join(secretsDir, 'secrets.json') });
    expect(settings).toMatchObject({ secretsFile: join(secretsDir, 'secrets.json') });

    const definition = {
      family: 'settings-secret',
      containerDefinitions: [
        {
          name: 'app',
          image: 'taskdeck-test/busybox:latest',
          memoryReservation: 64,
          command: ['sh', '-c', 'printf %s "$TOKEN" | sha256sum'],
          secrets: [{ name: 'TOKEN', valueFrom: '/app/token' }],
        },
      ],
    };
    const { id } = (await call('definitions:import', { text: JSON.stringify(definition) })) as { id: string };

    const stopped = new Promise<TaskDetail>((resolve) => {
      const off = runtime.bus.subscribe('tasks:changed', ({ task }) => {
        if (task.family === 'settings-secret' && task.lastStatus === 'STOPPED') {
          off();
          resolve(task);
        }
      });
    });
    const [started] = (await call('tasks:run', {
      definitionId: id,
      pullBehavior: 'prefer-cached',
    })) as TaskDetail[];
    const taskId = started!.taskId;
    const task = await stopped;
    expect(task.containers[0]).toMatchObject({ name: 'app', exitCode: 0 });

    const logs = (await call('tasks:logs', { taskId })) as { text: string }[];
    expect(logs.map((line) => line.text).join('\n')).toContain(SHA);

    const seen = JSON.stringify([
      await call('tasks:get', { taskId }),
      await call('tasks:events', { taskId }),
      await call('tasks:definition', { taskId }),
      logs,
      await call('settings:get', {}),
      published,
    ]);
    expect(seen).toContain('/app/token');
    expect(seen).not.toContain(VALUE);

    // The app removes a stopped task's containers itself (no --keep): nothing may be left behind.
    expect(await labelledLeftovers(docker, `com.taskdeck.task-id=${taskId}`)).toEqual(NOTHING_LEFT);
  }, 180_000);

  /** Imports and runs a one-container definition through the API; resolves once it stopped. */
  const runThroughApi = async (family: string, secrets: { name: string; valueFrom: string }[]) => {
    const definition = {
      family,
      containerDefinitions: [
        {
          name: 'app',
          image: 'taskdeck-test/busybox:latest',
          memoryReservation: 64,
          command: ['sh', '-c', secrets.map((secret) => sha(secret.name)).join('; ')],
          secrets,
        },
      ],
    };
    const { id } = (await call('definitions:import', { text: JSON.stringify(definition) })) as { id: string };
    const stopped = new Promise<TaskDetail>((resolve) => {
      const off = runtime.bus.subscribe('tasks:changed', ({ task }) => {
        if (task.family === family && task.lastStatus === 'STOPPED') {
          off();
          resolve(task);
        }
      });
    });
    await call('tasks:run', { definitionId: id, pullBehavior: 'prefer-cached' });
    const task = await stopped;
    const logs = (await call('tasks:logs', { taskId: task.taskId })) as { text: string }[];
    return { task, output: logs.map((line) => line.text).join('\n') };
  };

  it('with AWS secrets on in Settings, what the file lacks comes from SSM through the local chain', async () => {
    await call('settings:update', { secretsFile: join(secretsDir, 'secrets.json'), awsSecrets: true });
    const { task, output } = await runThroughApi('settings-secret-aws', [
      { name: 'TOKEN', valueFrom: '/app/token' },
      { name: 'REMOTE', valueFrom: '/app/remote' },
    ]);
    expect(task.containers[0]).toMatchObject({ exitCode: 0 });
    expect(output).toContain(SHA);
    expect(output).toContain(REMOTE_SHA);
    // Only what the file lacks went to AWS, signed with the local chain's key.
    expect(ssm.calls).toEqual([
      { name: '/app/remote', withDecryption: true, signedBy: 'AKIDSETTINGSSECRETS' },
    ]);
    expect(JSON.stringify([task, published, await call('settings:get', {})])).not.toContain(REMOTE);
    expect(await labelledLeftovers(docker, `com.taskdeck.task-id=${task.taskId}`)).toEqual(NOTHING_LEFT);

    // Turned off again: the next launch fails to start, naming the secret (and no value).
    await call('settings:update', { awsSecrets: false });
    const off = await runThroughApi('settings-secret-aws-off', [
      { name: 'REMOTE', valueFrom: '/app/remote' },
    ]);
    expect(off.task.stopCode).toBe('TaskFailedToStart');
    expect(off.task.stoppedReason).toContain('AWS lookups are disabled');
    expect(ssm.calls).toHaveLength(1);
  }, 180_000);

  it("the CLI's --aws-secrets is the same source: off by default, SSM when given", async () => {
    const file = join(secretsDir, 'cli-def.json');
    writeFileSync(
      file,
      JSON.stringify({
        family: 'cli-aws-secrets',
        containerDefinitions: [
          {
            name: 'app',
            image: 'taskdeck-test/busybox:latest',
            memoryReservation: 64,
            command: ['sh', '-c', sha('REMOTE')],
            secrets: [{ name: 'REMOTE', valueFrom: '/app/remote' }],
          },
        ],
      }),
    );
    const cli = (extra: string[]) =>
      new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            BIN,
            'run',
            file,
            '--pull-behavior',
            'prefer-cached',
            '--secrets-file',
            join(secretsDir, 'secrets.json'),
            ...extra,
          ],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const before = ssm.calls.length;
    const without = await cli([]);
    expect(without.code).toBe(125);
    expect(without.stderr).toContain('AWS lookups are disabled');
    expect(ssm.calls).toHaveLength(before);
    const withAws = await cli(['--aws-secrets']);
    expect(withAws.stderr).toContain(REMOTE_SHA);
    expect(withAws.code).toBe(0);
    expect(ssm.calls.slice(before)).toEqual([
      { name: '/app/remote', withDecryption: true, signedBy: 'AKIDSETTINGSSECRETS' },
    ]);
    expect(withAws.stderr + withAws.stdout).not.toContain(REMOTE);
    expect(
      await labelledLeftovers(docker, 'com.amazonaws.ecs.task-definition-family=cli-aws-secrets'),
    ).toEqual(NOTHING_LEFT);
  }, 240_000);
});
