/**
 * Integration-test support: a real engine on the real Docker daemon with a throw-away data dir,
 * a small builder for normalised task definitions, and leak checks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { LogLine, TaskDetail, TaskStateChangeEvent } from '../../contract/dto.js';
import type { TaskEngineApi } from '../engine/engine-api.js';
import { createTaskEngine, type TaskEngineOptions } from '../engine/task-engine.js';

import { TEST_IMAGE } from './task-def-builders.js';

export {
  container,
  FOREVER,
  FOREVER_MARKED,
  sh,
  taskDef,
  TEST_IMAGE,
  TRAP_SET,
} from './task-def-builders.js';

export interface EngineHarness {
  readonly engine: TaskEngineApi;
  readonly docker: Docker;
  readonly dataDir: string;
  /** Every event seen, in order. */
  readonly events: TaskStateChangeEvent[];
  /** Restarts the engine on the same data dir (close + create). */
  restart(): Promise<TaskEngineApi>;
  close(): Promise<void>;
}

export async function startEngine(over: Partial<TaskEngineOptions> = {}): Promise<EngineHarness> {
  const docker = new Docker();
  const dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-it-'));
  const events: TaskStateChangeEvent[] = [];
  const make = async () => {
    const e = await createTaskEngine({ docker, dataDir, pauseImage: TEST_IMAGE, ...over });
    e.on('event', (ev) => events.push(ev));
    return e;
  };
  const h = {
    engine: await make(),
    docker,
    dataDir,
    events,
    async restart() {
      await h.engine.close();
      h.engine = await make();
      return h.engine;
    },
    async close() {
      await h.engine.stopAll('test teardown');
      await h.engine.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Containers, networks and task volumes Docker still has for a task. */
export function leftovers(
  docker: Docker,
  taskId: string,
): Promise<{ containers: number; networks: number; volumes: number }> {
  return labelledLeftovers(docker, `com.taskdeck.task-id=${taskId}`);
}

/** Containers, networks and volumes Docker still has with `label` (`key=value`). */
export async function labelledLeftovers(
  docker: Docker,
  label: string,
): Promise<{ containers: number; networks: number; volumes: number }> {
  const filters = { label: [label] };
  const [c, n, v] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return { containers: c.length, networks: n.length, volumes: v.Volumes?.length ?? 0 };
}

export const NOTHING_LEFT = { containers: 0, networks: 0, volumes: 0 };

/** Removes every container, then network and volume, Docker has with `label` (a kept task's remains). */
export async function removeLabelled(docker: Docker, label: string): Promise<void> {
  const filters = { label: [label] };
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true })));
  const [networks, volumes] = await Promise.all([
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  await Promise.all([
    ...networks.map((n) => docker.getNetwork(n.Id).remove()),
    ...(volumes.Volumes ?? []).map((v) => docker.getVolume(v.Name).remove()),
  ]);
}

/**
 * Resolves once `container` of the task has printed a line containing `text` (engine log events,
 * no polling). Use it where a test must not act before the process inside is ready, e.g. before
 * a stop that expects the container's own SIGTERM trap.
 */
export function waitForLog(
  engine: TaskEngineApi,
  taskId: string,
  container: string,
  text: string,
  timeoutMs = 60_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const seen = (lines: readonly LogLine[]) =>
      lines.some((l) => l.taskId === taskId && l.container === container && l.text.includes(text));
    const timer = setTimeout(() => {
      off();
      reject(new Error(`${container} of ${taskId} printed no "${text}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = engine.on('logs', (lines) => {
      if (!seen(lines)) return;
      clearTimeout(timer);
      off();
      resolve();
    });
    // Lines that arrived before we subscribed.
    engine
      .logs(taskId)
      .then((lines) => {
        if (!seen(lines)) return;
        clearTimeout(timer);
        off();
        resolve();
      })
      .catch(reject);
  });
}

/** Resolves with the first line of the task that arrives from now on and matches `pred` (engine log events). */
export function nextLogLine(
  engine: TaskEngineApi,
  taskId: string,
  pred: (l: LogLine) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<LogLine> {
  return new Promise<LogLine>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const off = engine.on('logs', (lines) => {
      const hit = lines.find((l) => l.taskId === taskId && pred(l));
      if (!hit) return;
      clearTimeout(timer);
      off();
      resolve(hit);
    });
  });
}

/** Resolves with the task when `pred` holds, driven by engine events (no polling). */
export function waitFor(
  engine: TaskEngineApi,
  taskId: string,
  pred: (t: TaskDetail) => boolean,
  timeoutMs = 60_000,
): Promise<TaskDetail> {
  return new Promise((resolve, reject) => {
    const now = engine.describeTask(taskId);
    if (now && pred(now)) return resolve(now);
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting; task is ${JSON.stringify(engine.describeTask(taskId), null, 1)}`));
    }, timeoutMs);
    const off = engine.on('event', (_ev, t) => {
      if (t.taskId === taskId && pred(t)) {
        clearTimeout(timer);
        off();
        resolve(t);
      }
    });
  });
}

export function byName(t: TaskDetail, name: string) {
  const c = t.containers.find((x) => x.name === name);
  if (!c) throw new Error(`no container ${name}`);
  return c;
}
