/** Small helpers for running engine tasks inside the benchmark. */
import type { PullBehavior, TaskDetail } from '../contract/dto.js';
import type { TaskDefinition } from '../main/task-definition/model.js';
import type { BenchContext } from './bench-context.js';

/** runTask, remembering the task id for teardown and leak checks. */
export async function runBenchTask(
  ctx: BenchContext,
  taskDefinition: TaskDefinition,
  pullBehavior: PullBehavior = 'prefer-cached',
): Promise<TaskDetail> {
  const t = await ctx.engine.runTask({ taskDefinition, pullBehavior });
  ctx.taskIds.add(t.taskId);
  return t;
}

/** waitForStopped with a deadline, so a stuck task fails the run instead of hanging it. */
export function stoppedWithin(ctx: BenchContext, taskId: string, timeoutMs = 60_000): Promise<TaskDetail> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `task ${taskId} not STOPPED after ${timeoutMs} ms: ${JSON.stringify(ctx.engine.describeTask(taskId)?.lastStatus)}`,
          ),
        ),
      timeoutMs,
    );
    ctx.engine.waitForStopped(taskId).then(
      (t) => {
        clearTimeout(timer);
        resolve(t);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err as Error);
      },
    );
  });
}

/** The Docker call the engine made for `key` (container name or id), if traced. */
export function tracedCall(
  ctx: BenchContext,
  op: string,
  key: string,
): { calledMs: number; doneMs?: number } | undefined {
  return ctx.trace.find((t) => t.op === op && t.key === key);
}
