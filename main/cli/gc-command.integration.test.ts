/**
 * Orphans of a `taskdeck run` killed with SIGKILL (containers, network, volume, temp data dir):
 * a later run warns about them, `taskdeck gc --dry-run` lists exactly them, `taskdeck gc` removes
 * them, and a live run's objects are never touched. Real CLI processes on real Docker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { LABEL_DATA_DIR, LABEL_TASK_ID } from '../engine/labels.js';
import type { OrphanObject } from '../engine/orphans.js';
import { labelledLeftovers, NOTHING_LEFT } from '../test-support/engine-fixture.js';

const docker = new Docker();
const BIN = join(import.meta.dirname, '../../bin/taskdeck.js');
const IMAGE = 'taskdeck-test/busybox:latest';
let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskdeck-gc-test-'));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

interface Started {
  readonly child: ChildProcess;
  readonly taskId: string;
  stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Spawns `taskdeck run FILE` and resolves once its task is RUNNING. */
function startRun(file: string): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'run', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    let stderr = '';
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    exited.then(() => reject(new Error(`run ended before RUNNING:\n${stderr}`))).catch(() => undefined);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /task ([0-9a-f]{32}) RUNNING/.exec(stderr);
      if (m) resolve({ child, taskId: m[1]!, stderr: () => stderr, exited });
    });
  });
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every object Docker has for the task, as `kind:id` (volumes by name). */
async function objectsOf(taskId: string): Promise<string[]> {
  const filters = { label: [`${LABEL_TASK_ID}=${taskId}`] };
  const [c, n, v] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return [
    ...c.map((x) => `container:${x.Id}`),
    ...n.map((x) => `network:${x.Id}`),
    ...(v.Volumes ?? []).map((x) => `volume:${x.Name}`),
  ].sort();
}

const keysOf = (objs: readonly OrphanObject[]) => objs.map((o) => `${o.kind}:${o.id}`).sort();

test('a SIGKILLed run leaves orphans that gc lists and removes; a live run is untouched', async () => {
  const file = join(dir, 'gc.json');
  await writeFile(
    file,
    JSON.stringify({
      family: 'gc-orphans',
      networkMode: 'awsvpc',
      memory: '512',
      volumes: [{ name: 'scratch', dockerVolumeConfiguration: { scope: 'task' } }],
      containerDefinitions: [
        {
          name: 'app',
          image: IMAGE,
          command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
          mountPoints: [{ sourceVolume: 'scratch', containerPath: '/scratch' }],
        },
      ],
    }),
  );
  const killed = await startRun(file);
  const killedObjects = await objectsOf(killed.taskId);
  // awsvpc: app + pause containers, the task network, the task volume.
  expect(killedObjects.filter((k) => k.startsWith('container:')).length).toBeGreaterThanOrEqual(2);
  expect(killedObjects.some((k) => k.startsWith('network:'))).toBe(true);
  expect(killedObjects.some((k) => k.startsWith('volume:'))).toBe(true);
  const [app] = await docker.listContainers({ filters: { label: [`${LABEL_TASK_ID}=${killed.taskId}`] } });
  const tempDir = app!.Labels[LABEL_DATA_DIR]!;
  expect(tempDir).toContain('taskdeck-run-');
  killed.child.kill('SIGKILL');
  await killed.exited;
  // Nothing cleaned up after a SIGKILL: the leak the gc is for.
  expect(await objectsOf(killed.taskId)).toEqual(killedObjects);

  // A later run says so on stderr, in one line, with the gc hint, and does not adopt them.
  const live = await startRun(file);
  const warning = live
    .stderr()
    .split('\n')
    .filter((l) => l.includes('taskdeck gc'));
  expect(warning).toHaveLength(1);
  expect(warning[0]).toMatch(/warning: .*containers?.*left by Taskdeck processes that are gone/);
  const liveObjects = await objectsOf(live.taskId);

  // Unfiltered: the killed run's objects are listed, the live run's are not.
  const all = await cli(['gc', '--dry-run', '--json']);
  expect(all.code).toBe(0);
  const allReport = JSON.parse(all.stdout) as { orphans: OrphanObject[]; tempDataDirs: string[] };
  const allKeys = keysOf(allReport.orphans);
  for (const k of killedObjects) expect(allKeys).toContain(k);
  for (const k of liveObjects) expect(allKeys).not.toContain(k);
  expect(allReport.tempDataDirs).toContain(tempDir);

  // Filtered to the killed run's data dir: exactly its objects (and nothing is removed by a dry run).
  const dry = await cli(['gc', '--dry-run', '--json', '--data-dir', tempDir]);
  const dryReport = JSON.parse(dry.stdout) as { orphans: OrphanObject[]; tempDataDirs: string[] };
  expect(keysOf(dryReport.orphans)).toEqual(killedObjects);
  expect(dryReport.tempDataDirs).toEqual([tempDir]);
  expect(await objectsOf(killed.taskId)).toEqual(killedObjects);
  const text = await cli(['gc', '--dry-run', '--data-dir', tempDir]);
  expect(text.stderr).toContain(`would remove temporary data dir ${tempDir}`);

  const gc = await cli(['gc', '--json', '--data-dir', tempDir]);
  expect(gc.code).toBe(0);
  expect((JSON.parse(gc.stdout) as { errors: string[] }).errors).toEqual([]);
  expect(await labelledLeftovers(docker, `${LABEL_TASK_ID}=${killed.taskId}`)).toEqual(NOTHING_LEFT);
  await expect(stat(tempDir)).rejects.toThrow(/ENOENT/);

  // The live run's objects are untouched and it still runs; it then stops and cleans up as usual.
  expect(await objectsOf(live.taskId)).toEqual(liveObjects);
  const [liveApp] = await docker.listContainers({
    filters: { label: [`${LABEL_TASK_ID}=${live.taskId}`, 'com.taskdeck.role=app'] },
  });
  expect(liveApp?.State).toBe('running');
  live.child.kill('SIGTERM');
  expect(await live.exited).toBe(130);
  expect(await labelledLeftovers(docker, `${LABEL_TASK_ID}=${live.taskId}`)).toEqual(NOTHING_LEFT);
}, 240_000);
