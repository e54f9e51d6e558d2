import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { writeDataDirOwner } from '../store/data-dir-owner.js';
import { findOrphans, removeOrphans } from './orphans.js';
import { ownerLabels, type ProcessProbe } from './owner.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'taskdeck-orphans-'));
});
afterEach(async () => rm(root, { recursive: true, force: true }));

/** pid 100 and 300 run on host "dev"; 200 ended; 400 now belongs to a later process. */
const probe: ProcessProbe = {
  hostname: () => 'dev',
  startTimeOf: (pid) => ({ 100: 'b:1', 300: 'b:3', 400: 'b:999' })[pid],
};
const dead = { pid: 200, startTime: 'b:2', host: 'dev' };
const reused = { pid: 400, startTime: 'b:4', host: 'dev' };
const live = { pid: 100, startTime: 'b:1', host: 'dev' };
const elsewhere = { pid: 200, startTime: 'b:2', host: 'laptop' };

function fakeDocker(containers: { Id: string; Labels: Record<string, string> }[], removed: string[]): Docker {
  return {
    listContainers: () => Promise.resolve(containers.map((c) => ({ ...c, Names: [`/${c.Id}`] }))),
    listNetworks: () => Promise.resolve([]),
    listVolumes: () => Promise.resolve({ Volumes: [] }),
    getContainer: (id: string) => ({ remove: () => Promise.resolve(void removed.push(id)) }),
  } as unknown as Docker;
}

test('orphans are objects whose owner is gone (or whose pid was reused), and nothing else', async () => {
  const runDir = join(root, 'taskdeck-run-abc');
  await mkdir(runDir);
  await writeDataDirOwner(runDir, { ...dead, kind: 'run', adopts: false });
  const appDir = join(root, 'app-data');
  // A live app holds this data dir: the dead app's tasks in it were re-adopted, not orphaned.
  await writeDataDirOwner(appDir, { pid: 300, startTime: 'b:3', host: 'dev', kind: 'app', adopts: true });
  const removed: string[] = [];
  const docker = fakeDocker(
    [
      {
        Id: 'killed-run',
        Labels: { ...ownerLabels(dead, 'run', runDir, true), 'com.taskdeck.task-id': 't1' },
      },
      { Id: 'reused-pid', Labels: ownerLabels(reused, 'run', join(root, 'other')) },
      { Id: 'live-run', Labels: ownerLabels(live, 'run', join(root, 'taskdeck-run-live'), true) },
      { Id: 'other-host', Labels: ownerLabels(elsewhere, 'run', join(root, 'x')) },
      { Id: 'old-taskdeck', Labels: { 'com.taskdeck.managed': 'true' } },
      { Id: 'readopted', Labels: ownerLabels(dead, 'app', appDir) },
    ],
    removed,
  );
  const report = await findOrphans(docker, { probe, tmpRoot: root });
  expect(report.objects.map((o) => o.id)).toEqual(['killed-run', 'reused-pid']);
  expect(report.objects[0]).toMatchObject({
    kind: 'container',
    taskId: 't1',
    ownerPid: 200,
    ownerKind: 'run',
  });
  expect(report.tempDataDirs).toEqual([runDir]);

  const one = await findOrphans(docker, { probe, tmpRoot: root, dataDir: runDir });
  expect(one.objects.map((o) => o.id)).toEqual(['killed-run']);

  const done = await removeOrphans(docker, one);
  expect(removed).toEqual(['killed-run']);
  expect(done.removedDirs).toEqual([runDir]);
  await expect(stat(runDir)).rejects.toThrow(/ENOENT/);
});

test('a temp dir of a live run, or one that is not a run temp dir, is never removed', async () => {
  const liveDir = join(root, 'taskdeck-run-live');
  await mkdir(liveDir);
  await writeDataDirOwner(liveDir, { ...live, kind: 'run', adopts: false });
  const noOwner = join(root, 'taskdeck-run-unknown');
  await mkdir(noOwner);
  const report = await findOrphans(fakeDocker([], []), { probe, tmpRoot: root });
  expect(report).toEqual({ objects: [], tempDataDirs: [] });
});
