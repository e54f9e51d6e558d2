/** Restarting the server keeps the library, settings and task history; running tasks are re-adopted. */
import { resolve } from 'node:path';
import { expect, test } from './fixtures/test.js';

const defs = (name: string) => resolve(import.meta.dirname, 'definitions', name);

test('restart the server and find the history intact', async ({ app, server, page }) => {
  const { definitions, tasks } = app;
  await definitions.importFile(defs('hello-once.json'));
  const dialog = await definitions.openLaunch();
  await dialog.setPull('prefer-cached');
  await dialog.launch();
  await tasks.expectStatus('STOPPED');
  const stoppedId = await tasks.taskId();

  await app.goTo('Definitions');
  await definitions.pasteFile(defs('long-runner.json'), { expectValid: true });
  const second = await definitions.openLaunch();
  await second.setPull('prefer-cached');
  await second.launch();
  await tasks.expectStatus('RUNNING');
  const runningId = await tasks.taskId();
  await app.setTheme('dark');

  // SIGTERM: the engine closes, the running task keeps running.
  await server.restart({ leaveTasks: true });
  await app.open('#/tasks');

  await expect(tasks.rows).toHaveCount(2);
  await expect(tasks.rows.filter({ hasText: 'e2e-hello-once' })).toContainText('STOPPED');
  await expect(page.locator(`[data-task-id="${runningId}"]`)).toContainText('RUNNING');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  await tasks.open('e2e-hello-once');
  await expect(tasks.detail).toHaveAttribute('data-task-id', stoppedId);
  await expect(tasks.container('hello').getByTestId('exit-code')).toHaveText('0');
  await expect(tasks.detail).toContainText('EssentialContainerExited');

  // The re-adopted task still answers to Stop.
  await app.goTo('Tasks');
  await tasks.open('e2e-long-runner');
  await tasks.stop();
  await tasks.expectStatus('STOPPED');

  await app.goTo('Definitions');
  await expect(definitions.items).toHaveCount(2);
});
