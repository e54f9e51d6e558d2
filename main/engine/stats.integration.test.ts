/**
 * Resource statistics on real Docker: samples come from each running container's stats stream,
 * the history outlives the container and an engine restart, and an OOM kill is visible in it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ResourceSample } from '../../contract/dto.js';
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
import type { TaskEngineApi } from './engine-api.js';

const MIB = 1024 * 1024;

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngine();
});
afterAll(async () => h?.close());

/** Resolves once `count` samples of the task's `name` container have arrived (event-driven). */
function samplesOf(
  engine: TaskEngineApi,
  taskId: string,
  name: string,
  count: number,
): Promise<ResourceSample[]> {
  const got: ResourceSample[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`only ${got.length} stats samples of ${name} arrived`));
    }, 60_000);
    const off = engine.on('stats', (id, c, s) => {
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

describe('resource statistics', () => {
  test('samples arrive from the stream while the container runs and stay after it stops and a restart', async () => {
    const t = await h.engine.runTask({
      taskDefinition: taskDef('stats-live', [
        container('app', { ...sh(`dd if=/dev/zero of=/tmp/f bs=1k count=2048; ${FOREVER}`), stopTimeout: 1 }),
      ]),
    });
    const live = await samplesOf(h.engine, t.taskId, 'app', 3);
    expect(live.every((s) => s.mem > 0 && s.pids >= 1)).toBe(true);
    // Docker sends about one message a second; times strictly increase.
    expect(live[2]!.t).toBeGreaterThan(live[1]!.t);
    const during = await h.engine.resources(t.taskId);
    const app = during.containers.find((c) => c.container === 'app')!;
    expect(app.live).toBe(true);
    expect(app.dockerId).toBe(byName(h.engine.describeTask(t.taskId)!, 'app').runtimeId);
    expect(app.samples.length).toBeGreaterThanOrEqual(3);
    expect(app.onlineCpus).toBeGreaterThanOrEqual(1);
    expect(during.sharedNetwork).toBe(false);

    await h.engine.stopTask(t.taskId);
    await h.engine.waitForStopped(t.taskId);
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
    const after = (await h.engine.resources(t.taskId)).containers.find((c) => c.container === 'app')!;
    expect(after.live).toBe(false);
    expect(after.samples.length).toBeGreaterThanOrEqual(app.samples.length);

    const engine = await h.restart();
    const restored = (await engine.resources(t.taskId)).containers.find((c) => c.container === 'app')!;
    expect(restored.samples).toEqual(after.samples);
  });

  test('a running task keeps its history across an engine restart, and its stream resumes', async () => {
    const t = await h.engine.runTask({
      taskDefinition: taskDef('stats-adopt', [container('app', { ...sh(FOREVER), stopTimeout: 1 })]),
    });
    await samplesOf(h.engine, t.taskId, 'app', 3);
    const engine = await h.restart();
    const resumed = samplesOf(engine, t.taskId, 'app', 2);
    const before = (await engine.resources(t.taskId)).containers[0]!.samples;
    expect(before.length).toBeGreaterThanOrEqual(3);
    await resumed;
    const after = (await engine.resources(t.taskId)).containers[0]!;
    expect(after.live).toBe(true);
    expect(after.samples.slice(0, before.length)).toEqual(before);
    expect(after.samples.length).toBeGreaterThanOrEqual(before.length + 2);
    await engine.stopTask(t.taskId);
    await engine.waitForStopped(t.taskId);
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  });

  test('OOM: the memory line meets the limit, then exit 137 with OutOfMemoryError', async () => {
    // Grows a shell variable a little at a time, so the 1 s samples catch the climb to the limit.
    const grow = 'x=; while :; do x="$x$(head -c 150000 /dev/zero | tr "\\0" a)"; sleep 0.2; done';
    const t = await h.engine.runTask({
      taskDefinition: taskDef('stats-oom', [container('hog', { memory: 12, ...sh(grow) })]),
    });
    const done = await h.engine.waitForStopped(t.taskId);
    const hog = byName(done, 'hog');
    expect(hog.exitCode).toBe(137);
    expect(hog.reason).toBe('OutOfMemoryError: Container killed due to memory usage');
    const res = (await h.engine.resources(t.taskId)).containers.find((c) => c.container === 'hog')!;
    expect(res.memoryLimitBytes).toBe(12 * MIB);
    expect(res.live).toBe(false);
    expect(res.samples.length).toBeGreaterThanOrEqual(3);
    // The line climbs toward the limit (well above where it started). How close the last 1 s
    // sample gets depends on when the kernel kills (the shell's copies spike past the steady
    // size), so only a clear climb is asserted; the chart's final point is the limit itself.
    const peak = Math.max(...res.samples.map((s) => s.mem));
    expect(peak).toBeGreaterThan(0.3 * 12 * MIB);
    expect(peak).toBeLessThanOrEqual(12 * MIB);
    expect(res.samples[0]!.mem).toBeLessThan(peak);
    // Nothing is sampled after the container died.
    expect(res.samples.at(-1)!.t).toBeLessThanOrEqual(Date.parse(hog.finishedAt!) + 1000);
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  });

  test('limits: container cpu units and memory, else the task’s', async () => {
    const t = await h.engine.runTask({
      taskDefinition: taskDef(
        'stats-limits',
        [
          container('own', { cpu: 512, memory: 64, ...sh('sleep 0.2') }),
          container('inherit', { essential: false, ...sh('sleep 0.2') }),
        ],
        { cpu: 1024, memory: 256 },
      ),
    });
    await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'STOPPED');
    const res = await h.engine.resources(t.taskId);
    expect(res).toMatchObject({ cpuLimitCores: 1, memoryLimitBytes: 256 * MIB });
    expect(res.containers.find((c) => c.container === 'own')).toMatchObject({
      cpuLimitCores: 0.5,
      memoryLimitBytes: 64 * MIB,
    });
    expect(res.containers.find((c) => c.container === 'inherit')).toMatchObject({
      cpuLimitCores: 1,
      memoryLimitBytes: 256 * MIB,
    });
  });
});
