/**
 * Issue 12 ("Done when"): a realistic stack, as ECS users write it, from real Debian packages in
 * `taskdeck-test/real-clients` (scripts/real-clients/build-image.sh): PostgreSQL with a
 * `pg_isready` health check, a migration gated on HEALTHY, an app gated on the migration's
 * SUCCESS serving HTTP on a published port, and Redis as a non-essential sidecar checked with
 * `redis-cli ping`. In awsvpc the containers share one namespace (localhost); in bridge they reach
 * each other through legacy `links`, as ECS bridge tasks do. A failing migration keeps the app from
 * ever starting, with ECS's stop code and reasons. Nothing is left behind.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ContainerDefinition, NetworkMode } from '../task-definition/model.js';
import {
  byName,
  container,
  leftovers,
  NOTHING_LEFT,
  taskDef,
  TEST_IMAGE,
  waitFor,
} from '../test-support/engine-fixture.js';
import { createEngineRuntime, type EngineRuntime } from './create-engine-runtime.js';

const docker = new Docker();
const IMAGE = 'taskdeck-test/real-clients:latest';
let rt: EngineRuntime;
let dataDir: string;

beforeAll(async () => {
  await docker
    .getImage(IMAGE)
    .inspect()
    .catch(() => {
      throw new Error(`${IMAGE} is missing: run scripts/ci-setup.sh (scripts/real-clients/build-image.sh)`);
    });
  dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-stack-'));
  rt = await createEngineRuntime({ docker, dataDir, helperImage: TEST_IMAGE, notice: () => {} });
}, 120_000);

afterAll(async () => {
  await rt?.engine.stopAll('teardown');
  await rt?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A free TCP port on 127.0.0.1 (awsvpc publishes hostPort = containerPort). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const PG = '/usr/lib/postgresql/15/bin';
const shell = (script: string) => ({ command: ['sh', '-c', script] });

function stack(mode: NetworkMode, appPort: number, migration: string): ContainerDefinition[] {
  // awsvpc: one namespace, so localhost; bridge: the names `links` give.
  const bridge = mode === 'bridge';
  const dbHost = bridge ? 'database' : '127.0.0.1';
  const cacheHost = bridge ? 'cache' : '127.0.0.1';
  return [
    container('db', {
      image: IMAGE,
      stopTimeout: 10,
      ...shell(
        `mkdir -p /tmp/pg && chown postgres /tmp/pg && ` +
          `setpriv --reuid=postgres --regid=postgres --clear-groups ${PG}/initdb -D /tmp/pg -A trust -U postgres >/dev/null && ` +
          // initdb trusts only loopback; bridge peers come from the bridge network.
          `echo 'host all all 0.0.0.0/0 trust' >> /tmp/pg/pg_hba.conf && ` +
          `exec setpriv --reuid=postgres --regid=postgres --clear-groups ${PG}/postgres -D /tmp/pg -k /tmp -c listen_addresses='*' -c fsync=off`,
      ),
      healthCheck: {
        command: ['CMD-SHELL', 'pg_isready -h 127.0.0.1 -U postgres'],
        interval: 5,
        timeout: 5,
        retries: 10,
        startPeriod: 0,
      },
    }),
    container('cache', {
      image: IMAGE,
      essential: false,
      stopTimeout: 5,
      command: ['redis-server', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
      healthCheck: {
        command: ['CMD', 'redis-cli', 'ping'],
        interval: 5,
        timeout: 5,
        retries: 5,
        startPeriod: 0,
      },
    }),
    container('migrate', {
      image: IMAGE,
      essential: false,
      ...shell(migration.replaceAll('$DB', dbHost)),
      dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }],
      ...(bridge ? { links: [{ containerName: 'db', alias: 'database' }] } : {}),
    }),
    container('app', {
      image: IMAGE,
      stopTimeout: 2,
      ...shell(
        `mkdir -p /tmp/www && ` +
          `psql -h ${dbHost} -U postgres -Atc 'select msg from greeting' > /tmp/www/index.html && ` +
          `redis-cli -h ${cacheHost} ping >> /tmp/www/index.html && ` +
          `exec busybox httpd -f -p 8080 -h /tmp/www`,
      ),
      dependsOn: [
        { containerName: 'migrate', condition: 'SUCCESS' },
        { containerName: 'cache', condition: 'HEALTHY' },
      ],
      portMappings: [{ containerPort: 8080, hostPort: bridge ? 0 : appPort, protocol: 'tcp' }],
      // Every essential container has a check, so the task's health can become HEALTHY.
      healthCheck: {
        command: ['CMD-SHELL', 'busybox wget -qO /dev/null http://127.0.0.1:8080/'],
        interval: 5,
        timeout: 5,
        retries: 3,
        startPeriod: 0,
      },
      ...(bridge
        ? {
            links: [
              { containerName: 'db', alias: 'database' },
              { containerName: 'cache', alias: 'cache' },
            ],
          }
        : {}),
    }),
  ];
}

const MIGRATION = `psql -v ON_ERROR_STOP=1 -h $DB -U postgres -c "create table greeting(msg text); insert into greeting values ('hello from postgres')"`;

describe.each(['awsvpc', 'bridge'] as const)('%s', (mode) => {
  test('PostgreSQL → migration → app with a Redis sidecar reaches RUNNING+HEALTHY, serves on the host port, stops clean', async () => {
    const port = await freePort();
    const t = await rt.engine.runTask({
      taskDefinition: taskDef(`stack-${mode}`, stack(mode, port, MIGRATION), { networkMode: mode }),
      pullBehavior: 'prefer-cached',
    });
    const running = await waitFor(
      rt.engine,
      t.taskId,
      (x) =>
        x.lastStatus === 'RUNNING' &&
        x.healthStatus === 'HEALTHY' &&
        byName(x, 'app').lastStatus === 'RUNNING',
      240_000,
    );
    expect(byName(running, 'migrate').exitCode).toBe(0);
    expect(byName(running, 'cache').healthStatus).toBe('HEALTHY');
    const binding = byName(running, 'app').networkBindings?.find((b) => b.containerPort === 8080);
    expect(binding, 'the app port is published').toBeDefined();
    // busybox httpd answers once it listens; the task is RUNNING when its process started.
    let body = '';
    for (let i = 0; i < 50 && !body; i++) {
      body = await fetch(`http://127.0.0.1:${binding!.hostPort}/`)
        .then((r) => (r.ok ? r.text() : ''))
        .catch(() => new Promise<string>((r) => setTimeout(() => r(''), 200)));
    }
    expect(body).toBe('hello from postgres\nPONG\n');

    await rt.engine.stopTask(t.taskId);
    const stopped = await rt.engine.waitForStopped(t.taskId);
    expect(stopped.stopCode).toBe('UserInitiated');
    expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
  }, 300_000);

  test('a failing migration keeps the app from ever starting: TaskFailedToStart, reasons named', async () => {
    const t = await rt.engine.runTask({
      taskDefinition: taskDef(
        `stack-fail-${mode}`,
        stack(mode, await freePort(), 'psql -h $DB -U postgres -c "select broken from nowhere"'),
        {
          networkMode: mode,
        },
      ),
      pullBehavior: 'prefer-cached',
    });
    const stopped = await rt.engine.waitForStopped(t.taskId);
    expect(stopped.stopCode).toBe('TaskFailedToStart');
    const migrate = byName(stopped, 'migrate');
    expect(migrate.exitCode).not.toBe(0);
    const app = byName(stopped, 'app');
    expect(app.runtimeId, 'the app was never created').toBeUndefined();
    expect(app.reason).toMatch(/^CannotStartContainerError: dependency graph: .*migrate.*SUCCESS/);
    expect(stopped.stoppedReason).toMatch(/migrate/);
    expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
  }, 300_000);
});
