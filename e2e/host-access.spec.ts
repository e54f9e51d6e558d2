/**
 * A definition that reaches into the host is named setting by setting, in the definition view and
 * in the launch dialog, and runs only after an explicit confirmation (the API refuses it too).
 */
import { resolve } from 'node:path';
import { expect, test } from './fixtures/test.js';

const defs = (name: string) => resolve(import.meta.dirname, 'definitions', name);

test('host access is shown by name and needs a confirmation before Launch', async ({ app, server }) => {
  const { definitions, tasks } = app;
  await definitions.importFile(defs('host-access.json'));
  await definitions.select('e2e-host-access');
  const detail = definitions.detail;
  await expect(detail.getByTestId('host-access-badge')).toBeVisible();
  const items = detail.getByTestId('host-access-item');
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toContainText('bind mount of /');
  await expect(items.nth(0)).toContainText('volumes[0].host.sourcePath');
  await expect(items.nth(1)).toContainText('capability SYS_ADMIN');
  await expect(items.nth(1)).toContainText('containerDefinitions[0].linuxParameters.capabilities.add[0]');
  await expect(definitions.issues('warning').first()).toContainText('host access');

  // The API alone cannot bypass the dialog's confirmation.
  const list = await server.call<{ id: string; family: string }[]>('definitions:list');
  const id = list.find((d) => d.family === 'e2e-host-access')!.id;
  await expect(server.call('tasks:run', { definitionId: id })).rejects.toThrow(/asks for host access/);

  const dialog = await definitions.openLaunch();
  await expect(dialog.root.getByTestId('host-access-item')).toHaveCount(2);
  const launch = dialog.root.getByTestId('launch-submit');
  await expect(launch).toBeDisabled();
  await dialog.setPull('prefer-cached');
  await dialog.root.getByTestId('host-access-confirm').check();
  await expect(launch).toBeEnabled();
  await dialog.launch();

  await tasks.expectStatus('STOPPED');
  await expect(tasks.container('peek').getByTestId('exit-code')).toHaveText('0');
});
