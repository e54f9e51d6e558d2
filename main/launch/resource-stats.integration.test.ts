/**
 * `/stats` and `/task/stats` as a container reads them at 169.254.170.2, through the full runtime
 * (engine + endpoints) on real Docker: Docker's stats JSON plus the agent's `network_rate_stats`,
 * from the same stream as the engine's samples (the document is one of them), for bridge and
 * awsvpc (the task namespace's networks).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ResourceSample } from '../../contract/dto.js';
import {
  byName,
  container,
  FOREVER,
  leftovers,
  NOTHING_LEFT,
  sh,
  taskDef,
} from '../test-support/engine-fixture.js';
import { createEngineRuntime, type EngineRuntime } from './create-engine-runtime.js';

const docker = new Docker();
let rt: EngineRuntime;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-stats-'));
  rt = await createEngineRuntime({ docker, dataDir });
});
afterAll(async () => {
  await rt?.engine.stopAll('teardown');
  await rt?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Resolves once `count` samples of a container have arrived (event-driven). */
function samples(taskId: string, name: string, count: number): Promise<ResourceSample[]> {
  const got: ResourceSample[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`only ${got.length} samples of ${name}`));
    }, 60_000);
    const off = rt.engine.on('stats', (id, c, s) => {
      if (id !== taskId || c !== name) return;
      got.push(s);
      if (got.length >= count) {
        clearTimeout(timer);
        off();
        resolve(got);
      }
    });
  });
}

/** Runs `script` inside the container; its stdout (fails on a non-zero exit). */
async function execIn(id: string, script: string): Promise<string> {
  const exec = await docker
    .getContainer(id)
    .exec({ Cmd: ['sh', '-c', script], AttachStdout: true, AttachStderr: true });
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
  expect(info.ExitCode, Buffer.concat(err).toString('utf8')).toBe(0);
  return Buffer.concat(out).toString('utf8');
}

interface AgentStats {
  id: string;
  read: string;
  cpu_stats: object;
  memory_stats: { usage: number };
  networks?: Record<string, { rx_bytes: number }>;
  network_rate_stats?: { rx_bytes_per_sec: number; tx_bytes_per_sec: number };
}

async function checkStats(networkMode: 'bridge' | 'awsvpc'): Promise<void> {
  const t = await rt.engine.runTask({
    taskDefinition: taskDef(
      `stats-endpoint-${networkMode}`,
      [
        container('app', { ...sh(FOREVER), stopTimeout: 1 }),
        container('side', { essential: false, ...sh(FOREVER), stopTimeout: 1 }),
      ],
      { networkMode },
    ),
  });
  // Two samples: a rate needs two readings.
  await Promise.all([samples(t.taskId, 'app', 2), samples(t.taskId, 'side', 1)]);
  const appId = byName(rt.engine.describeTask(t.taskId)!, 'app').runtimeId!;
  const sideId = byName(rt.engine.describeTask(t.taskId)!, 'side').runtimeId!;

  const doc = JSON.parse(
    await execIn(appId, 'wget -qO- "$ECS_CONTAINER_METADATA_URI_V4/stats"'),
  ) as AgentStats;
  expect(doc.id).toBe(appId);
  expect(doc.memory_stats.usage).toBeGreaterThan(0);
  expect(doc.cpu_stats).toBeTypeOf('object');
  expect(doc.network_rate_stats).toEqual({
    rx_bytes_per_sec: expect.any(Number) as number,
    tx_bytes_per_sec: expect.any(Number) as number,
  });
  // The same source as the charts: the document is one of the engine's samples of this container.
  const history = (await rt.engine.resources(t.taskId)).containers.find((c) => c.container === 'app')!;
  expect(history.dockerId).toBe(doc.id);
  expect(history.samples.map((s) => s.t)).toContain(Date.parse(doc.read));
  // awsvpc: the task namespace's interfaces (the pause container's), as on ECS.
  expect(Object.keys(doc.networks ?? {}).length).toBeGreaterThan(0);

  const all = JSON.parse(
    await execIn(sideId, 'wget -qO- "$ECS_CONTAINER_METADATA_URI_V4/task/stats"'),
  ) as Record<string, AgentStats>;
  expect(Object.keys(all).sort()).toEqual([appId, sideId].sort());
  expect(all[appId]!.id).toBe(appId);
  expect(all[sideId]!.id).toBe(sideId);

  await rt.engine.stopTask(t.taskId);
  await rt.engine.waitForStopped(t.taskId);
  expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
}

describe('metadata /stats from the engine stream', () => {
  test('bridge: agent shape with network_rate_stats, id and read of an engine sample', async () => {
    await checkStats('bridge');
  });

  test('awsvpc: the task namespace’s networks and rates', async () => {
    await checkStats('awsvpc');
  });
});
