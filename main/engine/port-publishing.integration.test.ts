/**
 * Published ports bind to 127.0.0.1 unless the user exposes them (issue 10, item 9): checked on
 * the containers Docker really made (HostConfig.PortBindings and NetworkSettings.Ports), for
 * bridge fixed and dynamic ports and for the awsvpc pause container, and in networkBindings.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TaskDetail } from '../../contract/dto.js';
import {
  byName,
  container,
  FOREVER,
  leftovers,
  NOTHING_LEFT,
  sh,
  startEngine,
  taskDef,
  waitFor,
  type EngineHarness,
} from '../test-support/engine-fixture.js';
import { EXPOSED_PUBLISH_ADDRESS } from './container-config.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngine();
});
afterAll(async () => h?.close());

/** A TCP port free on every interface right now. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '0.0.0.0');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The host addresses Docker was asked for and actually bound, per port key. */
async function publishedAddresses(id: string) {
  const info = await h.docker.getContainer(id).inspect();
  const requested = Object.fromEntries(
    Object.entries(info.HostConfig.PortBindings ?? {}).map(([k, v]) => [
      k,
      (v as { HostIp: string }[]).map((b) => b.HostIp),
    ]),
  );
  const bound = Object.fromEntries(
    Object.entries(info.NetworkSettings.Ports ?? {}).map(([k, v]) => [k, (v ?? []).map((b) => b.HostIp)]),
  );
  return { requested, bound };
}

async function stop(t: TaskDetail): Promise<void> {
  await h.engine.stopTask(t.taskId);
  await h.engine.waitForStopped(t.taskId);
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
}

function lastEventBindings(taskId: string, name: string) {
  const ev = h.events.filter((e) => e.detail.taskArn.endsWith(taskId)).at(-1);
  return ev?.detail.containers.find((c) => c.name === name)?.networkBindings ?? [];
}

describe('published ports', () => {
  test('bridge: fixed and dynamic host ports bind to 127.0.0.1 by default', async () => {
    const fixed = await freePort();
    const t = await h.engine.runTask({
      taskDefinition: taskDef('ports-local', [
        container('web', {
          stopTimeout: 1,
          ...sh(FOREVER),
          portMappings: [
            { containerPort: 80, protocol: 'tcp' },
            { containerPort: 81, hostPort: fixed, protocol: 'tcp' },
          ],
        }),
      ]),
    });
    const up = await waitFor(h.engine, t.taskId, (x) => byName(x, 'web').networkBindings.length === 2);
    const web = byName(up, 'web');
    expect(await publishedAddresses(web.runtimeId!)).toEqual({
      requested: { '80/tcp': ['127.0.0.1'], '81/tcp': ['127.0.0.1'] },
      bound: { '80/tcp': ['127.0.0.1'], '81/tcp': ['127.0.0.1'] },
    });
    expect(web.networkBindings.map((b) => b.bindIP)).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(web.networkBindings.find((b) => b.containerPort === 81)?.hostPort).toBe(fixed);
    expect(lastEventBindings(t.taskId, 'web').map((b) => b.bindIP)).toEqual(['127.0.0.1', '127.0.0.1']);
    await stop(t);
  });

  test('bridge: publishAddress 0.0.0.0 exposes them on every interface', async () => {
    const t = await h.engine.runTask({
      taskDefinition: taskDef('ports-exposed', [
        container('web', {
          stopTimeout: 1,
          ...sh(FOREVER),
          portMappings: [{ containerPort: 80, protocol: 'tcp' }],
        }),
      ]),
      publishAddress: EXPOSED_PUBLISH_ADDRESS,
    });
    const up = await waitFor(h.engine, t.taskId, (x) => byName(x, 'web').networkBindings.length > 0);
    const web = byName(up, 'web');
    const { requested, bound } = await publishedAddresses(web.runtimeId!);
    expect(requested).toEqual({ '80/tcp': ['0.0.0.0'] });
    expect(bound['80/tcp']).toContain('0.0.0.0');
    expect(web.networkBindings.map((b) => b.bindIP)).toEqual(['0.0.0.0']);
    await stop(t);
  });

  test('awsvpc: the pause container publishes the task’s ports on 127.0.0.1 by default', async () => {
    const port = await freePort();
    const t = await h.engine.runTask({
      taskDefinition: taskDef(
        'ports-awsvpc',
        [
          container('web', {
            stopTimeout: 1,
            ...sh(FOREVER),
            portMappings: [{ containerPort: port, hostPort: port, protocol: 'tcp' }],
          }),
        ],
        { networkMode: 'awsvpc' },
      ),
    });
    const up = await waitFor(h.engine, t.taskId, (x) => byName(x, 'web').networkBindings.length > 0);
    const pause = await h.docker.listContainers({
      filters: { label: [`com.taskdeck.task-id=${t.taskId}`, 'com.taskdeck.role=pause'] },
    });
    expect(pause).toHaveLength(1);
    expect(await publishedAddresses(pause[0]!.Id)).toEqual({
      requested: { [`${port}/tcp`]: ['127.0.0.1'] },
      bound: { [`${port}/tcp`]: ['127.0.0.1'] },
    });
    expect(byName(up, 'web').networkBindings).toEqual([
      { bindIP: '127.0.0.1', containerPort: port, hostPort: port, protocol: 'tcp' },
    ]);
    await stop(t);
  });
});
