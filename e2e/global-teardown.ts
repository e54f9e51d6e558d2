/**
 * Fails the run when any Taskdeck-managed container, network or volume is left behind
 * (`docker ps -a` / `network ls` / `volume ls --filter label=com.taskdeck.managed=true` must be empty).
 * On a Docker daemon shared with other suites, set TASKDECK_E2E_SHARED_DOCKER=1 to only count
 * objects of tasks this suite created.
 */
import { rmSync } from 'node:fs';
import { managedObjects, recordedTaskIds, TASK_ID_LOG } from './fixtures/docker.js';

export default async function globalTeardown(): Promise<void> {
  const shared = process.env['TASKDECK_E2E_SHARED_DOCKER'] === '1';
  const ours = recordedTaskIds();
  const leftovers = () => managedObjects().filter((c) => !shared || ours.has(c.taskId));
  try {
    // Give the engine's last removals a moment.
    for (let i = 0; i < 20 && leftovers().length > 0; i++) await new Promise((r) => setTimeout(r, 500));
    const left = leftovers();
    if (left.length > 0) {
      throw new Error(
        `e2e left ${left.length} Taskdeck object(s) behind (label com.taskdeck.managed=true):\n` +
          left.map((c) => c.line).join('\n'),
      );
    }
  } finally {
    rmSync(TASK_ID_LOG, { force: true });
  }
}
