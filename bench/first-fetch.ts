/**
 * Issue 12 item 3 at full size: 50 tasks per network mode (bridge, awsvpc, host) whose container
 * fetches its task-role credentials as its first instruction; every one must succeed. The
 * integration test (main/launch/first-instruction-endpoints.integration.test.ts) runs 10 per mode.
 *
 *   TASKDECK_HELPER_IMAGE=taskdeck-test/busybox:latest node --import tsx bench/first-fetch.ts [runs] [batch]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { createEngineRuntime } from '../main/launch/create-engine-runtime.js';
import { runFirstFetch } from '../main/test-support/first-fetch.js';

const runs = Number(process.argv[2] ?? 50);
const batch = Number(process.argv[3] ?? 5);
process.env.AWS_ACCESS_KEY_ID ??= 'AKIABENCHFIRSTFETCH';
process.env.AWS_SECRET_ACCESS_KEY ??= 'bench-first-fetch';
const dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-bench-first-'));
const rt = await createEngineRuntime({ docker: new Docker(), dataDir, notice: () => {} });
let failed = 0;
try {
  for (const mode of ['bridge', 'awsvpc', 'host'] as const) {
    const r = await runFirstFetch(rt.engine, mode, runs, batch);
    failed += r.failures.length;
    const per = (r.ms / r.runs).toFixed(0);
    console.log(
      `${mode.padEnd(6)} ${r.runs - r.failures.length}/${r.runs} first fetches ok in ${r.ms} ms (${per} ms per task, batches of ${batch})`,
    );
    for (const f of r.failures) console.log(`  ${f}`);
  }
} finally {
  await rt.engine.stopAll('bench done');
  await rt.close();
  await rm(dataDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
