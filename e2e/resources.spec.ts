/**
 * Live resource plots (issue 14) against the real engine and Docker: the Resources tab of a
 * running task draws CPU, memory, network, block I/O and PIDs per task and per container and
 * grows live; the charts stay after the task stops and after a reload; an OOM-killed container's
 * memory chart shows the limit line and the stop. Photographed in light and dark.
 */
import { resolve } from 'node:path';
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures/test.js';
import type { AppPage } from './pages/app-page.js';
import { InsightPage } from './pages/insight-page.js';

const defs = (name: string) => resolve(import.meta.dirname, 'definitions', name);
const MIB = 1024 * 1024;

async function launch(app: AppPage, file: string): Promise<void> {
  await app.definitions.pasteFile(defs(file), { expectValid: true });
  const dialog = await app.definitions.openLaunch();
  await dialog.setPull('prefer-cached');
  await dialog.launch();
  await expect(app.tasks.detail).toBeVisible();
}

/** Waits until a chart has drawn at least `n` points. */
async function expectPoints(chart: Locator, n: number, timeout = 30_000): Promise<number> {
  await expect
    .poll(async () => Number(await chart.getAttribute('data-points')), { timeout })
    .toBeGreaterThanOrEqual(n);
  return Number(await chart.getAttribute('data-points'));
}

test('a running task: task and container charts render with data and grow live; kept after stop and reload', async ({
  app,
  page,
}) => {
  test.setTimeout(150_000);
  const view = new InsightPage(page);
  await launch(app, 'resources-live.json');
  await view.expectTaskStatus('RUNNING');
  await view.tab('Resources');
  await expect(page.getByTestId('resources-tab')).toBeVisible();

  for (const id of ['task', 'web', 'worker'])
    for (const metric of ['cpu', 'memory', 'network', 'blkio', 'pids'])
      await expect(page.getByTestId(`chart-${id}-${metric}`).locator('canvas')).toBeVisible();
  const webCpu = page.getByTestId('chart-web-cpu');
  const before = await expectPoints(webCpu, 3);
  // Pushed samples extend the charts while the tab stays open (no refetch, no polling).
  await expectPoints(webCpu, before + 2);
  const webMem = page.getByTestId('chart-web-memory');
  expect(Number(await webMem.getAttribute('data-last'))).toBeGreaterThan(0);
  await expect(webMem).toHaveAttribute('data-limit', String(64 * MIB));
  await expect(webMem.locator('.legend-limit')).toHaveText('OOM 64.0 MiB');
  await expect(page.getByTestId('chart-worker-memory')).toHaveAttribute('data-limit', String(32 * MIB));
  await expect(page.getByTestId('chart-task-memory')).toHaveAttribute('data-limit', String(256 * MIB));
  // CPU against the container's limit (512 units = 0.5 vCPU).
  await expect(webCpu).toContainText('of a core');
  await expect(webCpu).toContainText('of limit');
  await expect(webCpu.locator('.legend-limit')).toHaveText('limit 0.5 vCPU');
  await expect(page.getByTestId('resources-container-web')).toContainText('live');
  await expectPoints(page.getByTestId('chart-web-blkio'), 5);
  await view.screenshotBoth(app, 'resources-live');

  await app.tasks.stop('resources demo');
  await view.expectTaskStatus('STOPPED');
  await expect(page.getByTestId('resources-container-web')).not.toContainText('live');
  await expect(webCpu).toHaveAttribute('data-marker', /stopped · exit/);
  const kept = await expectPoints(webCpu, before + 2);
  // After a reload the history comes back from the engine.
  await page.reload();
  await view.tab('Resources');
  await expect(page.getByTestId('chart-web-cpu')).toHaveAttribute('data-points', String(kept));
  await view.screenshotBoth(app, 'resources-stopped');
});

test('OOM: the memory chart shows the limit line, the climb to it and the stop (exit 137)', async ({
  app,
  page,
}) => {
  test.setTimeout(150_000);
  const view = new InsightPage(page);
  await launch(app, 'resources-oom.json');
  await view.tab('Resources');
  const mem = page.getByTestId('chart-hog-memory');
  await expect(mem).toHaveAttribute('data-limit', String(12 * MIB));
  await expect(mem.locator('.legend-limit')).toHaveText('OOM 12.0 MiB');
  await expectPoints(mem, 2);
  await view.expectTaskStatus('STOPPED', 90_000);
  await expect(page.getByTestId('resources-reason-hog')).toHaveText(
    'exit 137 — OutOfMemoryError: Container killed due to memory usage',
  );
  await expect(mem).toHaveAttribute('data-marker', 'OOM-killed · exit 137');
  // The line meets the limit at the kill.
  await expect(mem).toHaveAttribute('data-last', String(12 * MIB));
  expect(await expectPoints(mem, 3)).toBeGreaterThanOrEqual(3);
  await view.screenshotBoth(app, 'resources-oom');
  // The container's own charts, below the fold in the page picture.
  await page
    .getByTestId('resources-container-hog')
    .screenshot({ path: 'e2e/screenshots/resources-oom-hog.png' });
});
