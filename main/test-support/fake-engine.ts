/**
 * Unit-test support: a real task engine on a `FakeDocker` (no daemon), with a throw-away data dir
 * and event-driven waits on what the engine pushes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskDetail, TaskStateChangeEvent } from '../../contract/dto.js';
import { FakeDocker } from '../docker/fake-docker.js';
import type { TaskEngineApi } from '../engine/engine-api.js';
import type { LaunchHooks } from '../engine/launch-hooks.js';
import { createTaskEngine } from '../engine/task-engine.js';
import { TEST_IMAGE } from './task-def-builders.js';

export interface FakeEngineHarness {
  readonly engine: TaskEngineApi;
  readonly docker: FakeDocker;
  /** Every pushed (event, task) pair, in order. */
  readonly pushes: { event: TaskStateChangeEvent; task: TaskDetail }[];
  /** Resolves with the first pushed task (from now on, or already pushed) matching `pred`. */
  waitFor(pred: (t: TaskDetail) => boolean, what: string): Promise<TaskDetail>;
  close(): Promise<void>;
}

/** `hooks`: launch hooks to use instead of none (e.g. to hold or count endpoint work). */
export async function startFakeEngine(
  docker = new FakeDocker(),
  opts: { readonly hooks?: LaunchHooks } = {},
): Promise<FakeEngineHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-fake-'));
  const engine = await createTaskEngine({
    docker,
    dataDir,
    pauseImage: TEST_IMAGE,
    ...(opts.hooks ? { hooks: opts.hooks } : {}),
  });
  const pushes: FakeEngineHarness['pushes'] = [];
  const waiters: { pred: (t: TaskDetail) => boolean; resolve: (t: TaskDetail) => void }[] = [];
  engine.on('event', (event, task) => {
    pushes.push({ event, task });
    for (const w of waiters.splice(0)) {
      if (w.pred(task)) w.resolve(task);
      else waiters.push(w);
    }
  });
  return {
    engine,
    docker,
    pushes,
    waitFor(pred, what) {
      const seen = pushes.find((p) => pred(p.task));
      if (seen) return Promise.resolve(seen.task);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const last = pushes[pushes.length - 1]?.task;
          reject(
            new Error(
              `timed out waiting for ${what}; last push: ${last?.lastStatus} ${JSON.stringify(last?.containers.map((c) => [c.name, c.phase, c.reason]))}`,
            ),
          );
        }, 4_000);
        waiters.push({
          pred,
          resolve: (t) => {
            clearTimeout(timer);
            resolve(t);
          },
        });
      });
    },
    async close() {
      await engine.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
