/**
 * Issue 12 item 3's proof: tasks whose container fetches its task-role credentials as its very
 * first instruction — no retry, no sleep — and exits non-zero when the endpoint does not answer.
 * Shared by the integration test (a few runs per mode) and bench/first-fetch.ts (50 per mode).
 */
import type { TaskEngineApi } from '../engine/engine-api.js';
import type { NetworkMode } from '../task-definition/model.js';
import { container, taskDef } from './task-def-builders.js';

/**
 * The container's first instruction: one fetch from the credentials endpoint. Before it, the
 * namespace must already route 169.254.170.2 (`02AAFEA9` in /proc/net/route) — a fetch without
 * the route does not always fail at once (TCP retries its SYN once the route appears a second
 * later), while an SDK's 1 s timeout does; host mode uses its loopback FULL_URI instead.
 */
export const FIRST_FETCH =
  '{ [ -n "$AWS_CONTAINER_CREDENTIALS_FULL_URI" ] || grep -q 02AAFEA9 /proc/net/route || { echo "169.254.170.2 not routed at the first instruction"; exit 7; }; } && ' +
  'wget -q -O /tmp/c "${AWS_CONTAINER_CREDENTIALS_FULL_URI:-http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}" && grep -q AccessKeyId /tmp/c';

/** What a series of runs gave. */
export interface FirstFetchResult {
  readonly mode: NetworkMode;
  readonly runs: number;
  /** Exit code (or reason) of each run that failed. */
  readonly failures: readonly string[];
  readonly ms: number;
  readonly taskIds: readonly string[];
}

/** Runs `runs` one-container tasks in `mode`, `batch` at a time; each must exit 0. */
export async function runFirstFetch(
  engine: TaskEngineApi,
  mode: NetworkMode,
  runs: number,
  batch = 5,
): Promise<FirstFetchResult> {
  const started = Date.now();
  const failures: string[] = [];
  const taskIds: string[] = [];
  const one = async (i: number): Promise<void> => {
    const t = await engine.runTask({
      taskDefinition: taskDef(
        `first-fetch-${mode}`,
        [container('app', { command: ['sh', '-c', FIRST_FETCH] })],
        { networkMode: mode, taskRoleArn: 'arn:aws:iam::123456789012:role/first-fetch' },
      ),
      passOwnCredentials: true,
    });
    taskIds.push(t.taskId);
    const done = await engine.waitForStopped(t.taskId);
    const app = done.containers.find((c) => c.name === 'app');
    if (app?.exitCode !== 0)
      failures.push(`run ${i}: exit ${app?.exitCode ?? '?'} ${app?.reason ?? ''}`.trim());
  };
  for (let i = 0; i < runs; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, runs - i) }, (_, k) => one(i + k)));
  }
  return { mode, runs, failures, ms: Date.now() - started, taskIds };
}
