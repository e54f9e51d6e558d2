/**
 * Issue 12 item 7: a secrets file chosen in Settings is what a task launched through the API (web
 * mode and the desktop app share this path) resolves its `secrets` from, on real Docker; the value
 * reaches the container's environment and nothing the renderer can see.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerConnectionStatus, TaskDetail } from '../../contract/dto.js';
import { createAppRuntime, type AppRuntime } from '../composition-root.js';
import { labelledLeftovers, NOTHING_LEFT } from '../test-support/engine-fixture.js';
import { dispatchOperation } from './dispatch.js';

const VALUE = `settings-secret-${randomBytes(12).toString('hex')}`;
const SHA = createHash('sha256').update(VALUE).digest('hex');

describe('Settings → secrets file, launched through the API', () => {
  let dataDir: string;
  let secretsDir: string;
  let runtime: AppRuntime;
  const published: string[] = [];
  const docker = new Docker();

  const call = async (op: string, input: unknown) => {
    const result = await dispatchOperation(runtime.handlers, op, input);
    if (!result.ok) throw new Error(`${op}: ${result.error.message}`);
    return result.value;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'taskdeck-settings-secrets-'));
    secretsDir = mkdtempSync(join(tmpdir(), 'taskdeck-settings-secrets-file-'));
    writeFileSync(join(secretsDir, 'secrets.json'), JSON.stringify({ '/app/token': VALUE }), { mode: 0o600 });
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
});
