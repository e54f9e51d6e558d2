/**
 * Issue 12 item 4: the helper image (awsvpc pause, 169.254.170.2 helpers) works offline by
 * default, and when it cannot be had every mode that needs it fails fast and says how to fix it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, test } from 'vitest';
import { container, leftovers, NOTHING_LEFT, sh, taskDef } from '../test-support/engine-fixture.js';
import { runFirstFetch } from '../test-support/first-fetch.js';
import { createEngineRuntime } from './create-engine-runtime.js';
import { createHelperImage } from './helper-image.js';

const docker = new Docker();
const dirs: string[] = [];
const images: string[] = [];
const saved = { ...process.env };
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
  for (const i of images)
    await docker
      .getImage(i)
      .remove({ force: true })
      .catch(() => undefined);
  process.env = saved;
});

async function runtime(helperImage: string) {
  const dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-helper-'));
  dirs.push(dataDir);
  return createEngineRuntime({ docker, dataDir, helperImage, notice: () => {} });
}

describe('helper image', () => {
  test('missing and unpullable: bridge and awsvpc tasks fail fast naming the image, the pull error and the setting; host mode runs', async () => {
    // Nothing listens on port 9: the pull fails at once, as it does with no registry.
    const image = `127.0.0.1:9/taskdeck-test/no-helper-${randomBytes(3).toString('hex')}:latest`;
    const rt = await runtime(image);
    try {
      for (const networkMode of ['bridge', 'awsvpc'] as const) {
        const t = await rt.engine.runTask({
          taskDefinition: taskDef(`no-helper-${networkMode}`, [container('app', sh('echo hi'))], {
            networkMode,
          }),
        });
        const done = await rt.engine.waitForStopped(t.taskId);
        expect(done.stopCode).toBe('TaskFailedToStart');
        expect(done.stoppedReason).toMatch(/^ResourceInitializationError: helper image /);
        expect(done.stoppedReason).toContain(image);
        expect(done.stoppedReason).toMatch(/pulling it failed: .*(connection refused|dial tcp)/i);
        expect(done.stoppedReason).toContain('TASKDECK_HELPER_IMAGE');
        expect(done.containers[0]?.reason).toBe(done.stoppedReason);
        expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
      }
      const host = await rt.engine.runTask({
        taskDefinition: taskDef('no-helper-host', [container('app', sh('echo hi'))], { networkMode: 'host' }),
      });
      const done = await rt.engine.waitForStopped(host.taskId);
      expect(done.containers[0]?.exitCode).toBe(0);
      expect(await leftovers(docker, host.taskId)).toEqual(NOTHING_LEFT);
    } finally {
      await rt.engine.stopAll('teardown');
      await rt.close();
    }
  });

  test("with no image and no registry, Taskdeck builds its own from the host's static BusyBox, and it serves as the helper", async () => {
    const name = `taskdeck-test/helper-selfbuilt-${randomBytes(3).toString('hex')}:1`;
    images.push(name);
    const helper = createHelperImage({ docker, ownName: name });
    await helper.ensure();
    const info = await docker.getImage(name).inspect();
    expect(info.Config.Labels?.['com.taskdeck.helper-image']).toBe('1');
    process.env.AWS_ACCESS_KEY_ID = 'AKIASELFBUILT';
    process.env.AWS_SECRET_ACCESS_KEY = 'self-built-secret';
    const rt = await runtime(name);
    try {
      for (const mode of ['bridge', 'awsvpc'] as const) {
        const result = await runFirstFetch(rt.engine, mode, 2, 2);
        expect(result.failures).toEqual([]);
        for (const id of result.taskIds) expect(await leftovers(docker, id)).toEqual(NOTHING_LEFT);
      }
    } finally {
      await rt.engine.stopAll('teardown');
      await rt.close();
    }
  });
});
