/** Screenshots of every main screen, light and dark, into e2e/screenshots/. */
import { resolve } from 'node:path';
import { expect, test } from './fixtures/test.js';

const defs = (name: string) => resolve(import.meta.dirname, 'definitions', name);

for (const theme of ['light', 'dark'] as const) {
  test(`main screens (${theme})`, async ({ app, page }) => {
    const { definitions, tasks } = app;
    await app.setTheme(theme);
    await app.goTo('Tasks');
    await expect(page.getByText('No tasks yet')).toBeVisible();
    await app.screenshot('tasks-empty');
    await app.goTo('Definitions');
    await expect(page.getByText('Your task definition library is empty')).toBeVisible();
    await app.screenshot('definitions-empty');

    await definitions.importFile(defs('hello-once.json'));
    await definitions.pasteFile(defs('invalid-condition.json'));
    await app.screenshot('definition-invalid');
    await definitions.pasteFile(defs('long-runner.json'));
    await expect(definitions.detail.getByTestId('container-sidecar')).toBeVisible();
    await app.screenshot('definition-detail');

    await page.getByRole('button', { name: 'Paste JSON' }).click();
    await page
      .getByTestId('paste-dialog')
      .getByLabel('Definition JSON')
      .fill('{\n  "family": "draft",\n  "containerDefinitions": []\n}');
    await expect(page.getByTestId('paste-status')).toContainText('error');
    await app.screenshot('paste-dialog');
    await page.keyboard.press('Escape');

    const launch = await definitions.openLaunch();
    await launch.setPull('prefer-cached');
    await launch.setCommand('server', 'echo custom; sleep 600');
    await app.screenshot('launch-dialog');
    await launch.launch();
    await tasks.expectStatus('RUNNING');
    await expect(tasks.container('sidecar')).toContainText('RUNNING');
    await app.screenshot('task-detail-running');

    await definitions.page.goto(`${app.server.origin}/#/definitions`);
    await definitions.select('e2e-hello-once');
    const once = await definitions.openLaunch();
    await once.setPull('prefer-cached');
    await once.launch();
    await tasks.expectStatus('STOPPED');
    await app.screenshot('task-detail-stopped');

    await app.goTo('Tasks');
    await expect(tasks.rows).toHaveCount(2);
    await app.screenshot('tasks-list');

    await page.keyboard.press('?');
    await expect(page.getByTestId('help-overlay')).toBeVisible();
    await app.screenshot('help-overlay');
    await page.keyboard.press('Escape');

    await app.goTo('Settings');
    await expect(page.getByTestId('settings-page')).toBeVisible();
    await app.screenshot('settings');
  });
}
