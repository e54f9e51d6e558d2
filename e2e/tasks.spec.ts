/** Launching and watching tasks live (push only), stopping, re-running with overrides. */
import { resolve } from 'node:path';
import { expect, test } from './fixtures/test.js';

const defs = (name: string) => resolve(import.meta.dirname, 'definitions', name);

test('launch a task and watch it go RUNNING then STOPPED live', async ({ app }) => {
  const { definitions, tasks } = app;
  await definitions.importFile(defs('hello-once.json'));
  await definitions.select('e2e-hello-once');
  const dialog = await definitions.openLaunch();
  await dialog.setPull('prefer-cached');
  await dialog.launch();

  // The launch lands on the task's detail; status changes arrive by push.
  await expect(tasks.detail).toBeVisible();
  await tasks.expectStatus('RUNNING');
  await expect(tasks.container('hello')).toContainText('RUNNING');
  await tasks.expectStatus('STOPPED');
  await expect(tasks.container('hello').getByTestId('exit-code')).toHaveText('0');
  await expect(tasks.detail).toContainText('EssentialContainerExited');
  await expect(tasks.stoppedReason()).toContainText('Essential container in task exited');

  await app.goTo('Tasks');
  await expect(tasks.row('e2e-hello-once')).toHaveCount(1);
  await expect(tasks.row('e2e-hello-once')).toContainText('STOPPED');
});

test('stop a long-running task with a reason', async ({ app }) => {
  const { definitions, tasks } = app;
  await definitions.pasteFile(defs('long-runner.json'), { expectValid: true });
  const dialog = await definitions.openLaunch();
  await dialog.setPull('prefer-cached');
  await dialog.launch();
  await tasks.expectStatus('RUNNING');
  await expect(tasks.container('sidecar')).toContainText('RUNNING');

  await tasks.stop('done testing');
  await tasks.expectStatus('STOPPED');
  await expect(tasks.detail).toContainText('UserInitiated');
  await expect(tasks.stoppedReason()).toContainText('done testing');
  await expect(tasks.detail.getByRole('button', { name: /Stop/ })).toBeDisabled();
});

test('re-run a task with overrides', async ({ app, server }) => {
  const { definitions, tasks } = app;
  await definitions.importFile(defs('hello-once.json'));
  const first = await definitions.openLaunch();
  await first.setPull('prefer-cached');
  await first.launch();
  await tasks.expectStatus('STOPPED');
  const firstId = await tasks.taskId();

  const rerun = await tasks.openRerun();
  await rerun.setCommand('hello', 'echo overridden; exit 3');
  await rerun.setEnvironment('hello', 'EXTRA=1');
  await rerun.setMemory('hello', '3');
  await rerun.root.getByTestId('launch-submit').click();
  await expect(rerun.error()).toContainText('Memory of hello must be a whole number ≥ 6');
  await rerun.setMemory('hello', '64');
  await rerun.launch();

  await expect(tasks.detail).not.toHaveAttribute('data-task-id', firstId);
  await tasks.expectStatus('STOPPED');
  await expect(tasks.container('hello').getByTestId('exit-code')).toHaveText('3');
  const secondId = await tasks.taskId();
  const record = await server.call<{
    overrides?: { containerOverrides: { command: string[]; memory: number }[] };
  }>('tasks:launchRecord', { taskId: secondId });
  expect(record.overrides?.containerOverrides[0]).toMatchObject({
    name: 'hello',
    command: ['sh', '-c', 'echo overridden; exit 3'],
    memory: 64,
  });

  await app.goTo('Tasks');
  await expect(tasks.rows).toHaveCount(2);
  // Newest first.
  await expect(tasks.rows.first()).toHaveAttribute('data-task-id', secondId);
});

test('launch several tasks at once', async ({ app }) => {
  const { definitions, tasks } = app;
  await definitions.importFile(defs('hello-once.json'));
  const dialog = await definitions.openLaunch();
  await dialog.setPull('prefer-cached');
  await dialog.setCount(3);
  await dialog.launch();
  await expect(tasks.rows).toHaveCount(3);
  await expect(tasks.rows.filter({ hasText: 'STOPPED' })).toHaveCount(3, { timeout: 40_000 });
});
