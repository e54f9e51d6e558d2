/**
 * Logs (issue 14): export as .log and .jsonl, filter by container and by regular expression, jump
 * from a log line to the launch timeline and back, and the on-disk cap per container with its
 * "lines dropped" marker. Real engine, real Docker, real Chromium.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { expect, test } from './fixtures/test.js';
import type { AppPage } from './pages/app-page.js';
import { InsightPage } from './pages/insight-page.js';

const defs = (name: string) => resolve(import.meta.dirname, 'definitions', name);

async function launch(app: AppPage, file: string): Promise<void> {
  await app.definitions.pasteFile(defs(file), { expectValid: true });
  const dialog = await app.definitions.openLaunch();
  await dialog.setPull('prefer-cached');
  await dialog.launch();
  await expect(app.tasks.detail).toBeVisible();
}

const ISO = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;

test('logs: export .log and .jsonl, filter by container and regex, log line → timeline → logs', async ({
  app,
  page,
}) => {
  test.setTimeout(120_000);
  const view = new InsightPage(page);
  await launch(app, 'logs-two.json');
  await view.tab('Logs');
  const viewport = page.getByTestId('log-viewport');
  await expect(viewport).toContainText('web after boom', { timeout: 30_000 });
  await expect(view.logCount()).toContainText('52 of 52');

  // Export: every shown line with its time and container.
  const [logFile] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export .log' }).click(),
  ]);
  expect(logFile.suggestedFilename()).toMatch(/^e2e-logs-two-[0-9a-f]{8}\.log$/);
  const text = await readFile(await logFile.path(), 'utf8');
  expect(text.trimEnd().split('\n')).toHaveLength(52);
  expect(text).toMatch(new RegExp(`^${ISO} web stdout \\| web request 1$`, 'm'));
  expect(text).toMatch(new RegExp(`^${ISO} worker stdout \\| worker job 20$`, 'm'));
  expect(text).toMatch(new RegExp(`^${ISO} web stderr \\| web error boom$`, 'm'));

  const [jsonlFile] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export .jsonl' }).click(),
  ]);
  expect(jsonlFile.suggestedFilename()).toMatch(/\.jsonl$/);
  const records = (await readFile(await jsonlFile.path(), 'utf8'))
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { time: string; container: string; stream: string; text: string });
  expect(records).toHaveLength(52);
  expect(records.find((r) => r.text === 'web error boom')).toMatchObject({
    container: 'web',
    stream: 'stderr',
    time: expect.stringMatching(new RegExp(`^${ISO}$`)),
  });
  expect(new Set(records.map((r) => r.container))).toEqual(new Set(['web', 'worker']));

  // Filter by container: worker off.
  await page.getByRole('group', { name: 'Containers shown' }).getByRole('button', { name: 'worker' }).click();
  await expect(view.logCount()).toContainText('32 of 52');
  await expect(viewport).not.toContainText('worker job');

  // Filter by regular expression: only the matching lines are shown (and exported).
  await page.getByLabel('.* Regex').check();
  await view.logSearch().fill('request (1|2)$');
  await page.getByLabel('Only matching').check();
  await expect(view.logCount()).toContainText('2 of 52');
  await expect(page.getByTestId('log-match-count')).toHaveText('0 / 2');
  await expect(page.locator('.log-row')).toHaveText([/web request 1$/, /web request 2$/]);
  const [filtered] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export .log' }).click(),
  ]);
  expect((await readFile(await filtered.path(), 'utf8')).trimEnd().split('\n')).toHaveLength(2);
  await view.screenshotBoth(app, 'logs-filtered');
  await page.getByLabel('Only matching').uncheck();
  await view.logSearch().fill('');
  await page.getByRole('group', { name: 'Containers shown' }).getByRole('button', { name: 'worker' }).click();
  await expect(view.logCount()).toContainText('52 of 52');

  // Log line → timeline: the moment is marked there.
  const boom = page.locator('.log-row', { hasText: 'web error boom' });
  await boom.hover();
  await boom.getByRole('button', { name: 'Show on timeline' }).click();
  await expect(page.getByRole('tab', { name: 'Timeline', exact: true })).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await expect(page.getByTestId('timeline-cursor')).toBeVisible();
  await expect(page.getByTestId('timeline-cursor-bar')).toContainText('+');
  await view.screenshotBoth(app, 'timeline-from-log');

  // …and back: the logs open at that line, not following.
  await page.getByRole('button', { name: 'Show logs at this time' }).click();
  await expect(page.getByRole('tab', { name: 'Logs', exact: true })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.log-current')).toContainText('web error boom');
  await expect(view.logCount()).toContainText('paused');

  // A click on the timeline track picks a moment too; its logs are the first at or after it.
  await view.tab('Timeline');
  await expect(page.getByTestId('timeline-cursor')).toHaveCount(0);
  const track = page.getByTestId('timeline-track');
  const box = (await track.boundingBox())!;
  await page.mouse.click(box.x + 2, box.y + box.height - 4);
  await expect(page.getByTestId('timeline-cursor')).toBeVisible();
  await page.getByRole('button', { name: 'Show logs at this time' }).click();
  await expect(page.locator('.log-current')).toHaveCount(1);
  await expect(view.logCount()).toContainText('paused');
});

test('logs: a container past its on-disk cap keeps the newest lines and the viewer marks the drop', async ({
  app,
  page,
}) => {
  test.setTimeout(120_000);
  // A tiny cap, set where a user sets it.
  await app.goTo('Settings');
  await page.getByLabel('Log cap per container').fill('0.2');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await app.goTo('Definitions');

  const view = new InsightPage(page);
  await launch(app, 'logs-flood.json');
  const taskId = await app.tasks.taskId();
  await view.tab('Logs');
  await expect(page.getByTestId('log-viewport')).toContainText('flood done', { timeout: 60_000 });
  // The disk kept at most the cap: the history (read again when the tab reopens) starts with a marker.
  const logDir = join(app.server.dataDir, 'tasks', taskId, 'logs');
  let bytes = 0;
  for (const f of await readdir(logDir))
    if (f.endsWith('.ndjson')) bytes += (await stat(join(logDir, f))).size;
  expect(bytes).toBeLessThanOrEqual(0.2 * 1024 * 1024);
  await view.tab('Overview');
  await view.tab('Logs');
  await expect(page.getByTestId('log-viewport')).toContainText('flood done');
  const toTop = () => page.getByTestId('log-viewport').evaluate((el) => el.scrollTo(0, 0));
  await toTop();
  const marker = page.getByTestId('log-dropped-marker');
  await expect(marker).toContainText(/… [\d,]+ older lines of flood dropped/);
  await expect(marker).toContainText('0.2 MB of log per container');
  // Right after the marker: the oldest line kept, not the first one written.
  await expect(page.locator('.log-row').nth(1)).toHaveText(/flood line \d+$/);
  await expect(page.locator('.log-row').nth(1)).not.toHaveText(/flood line 1$/);
  await view.screenshotBoth(app, 'logs-dropped-marker', toTop);
});
