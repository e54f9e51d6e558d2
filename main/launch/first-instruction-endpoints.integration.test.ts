/**
 * Issue 12 item 3: the credentials endpoint answers from a container's first instruction, in
 * every network mode (bridge through the start gate, awsvpc through the pause namespace, host
 * through its own loopback listener). bench/first-fetch.ts runs the same 50 times per mode.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runFirstFetch } from '../test-support/first-fetch.js';
import { leftovers, NOTHING_LEFT } from '../test-support/engine-fixture.js';
import { createEngineRuntime, type EngineRuntime } from './create-engine-runtime.js';

const RUNS = Number(process.env.TASKDECK_FIRST_FETCH_RUNS ?? 10);
const docker = new Docker();
let rt: EngineRuntime;
let dataDir: string;
const saved = { ...process.env };

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = 'AKIAFIRSTFETCH';
  process.env.AWS_SECRET_ACCESS_KEY = 'first-fetch-secret';
  dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-first-'));
  rt = await createEngineRuntime({ docker, dataDir, notice: () => {} });
});
afterAll(async () => {
  await rt?.engine.stopAll('teardown');
  await rt?.close();
  await rm(dataDir, { recursive: true, force: true });
  process.env = saved;
});

describe('credentials from the first instruction', () => {
  test.each(['bridge', 'awsvpc', 'host'] as const)(
    `${RUNS} tasks in %s mode: every first fetch succeeds`,
    async (mode) => {
      const result = await runFirstFetch(rt.engine, mode, RUNS);
      console.log(`[first-fetch] ${mode}: ${result.runs} runs in ${result.ms} ms`);
      expect(result.failures).toEqual([]);
      for (const id of result.taskIds) expect(await leftovers(docker, id)).toEqual(NOTHING_LEFT);
    },
    600_000,
  );
});
