/** The library: import by file and by paste, validation errors at their JSON path, persistence. */
import { resolve } from 'node:path';
import { expect, test } from './fixtures/test.js';

const defs = (name: string) => resolve(import.meta.dirname, 'definitions', name);

test('import a definition from a file and see its details, with secrets masked', async ({ app }) => {
  const { definitions } = app;
  await expect(app.page.getByText('Your task definition library is empty')).toBeVisible();
  await definitions.importFile(defs('hello-once.json'));
  await expect(definitions.item('e2e-hello-once')).toBeVisible();
  await expect(definitions.detail.getByRole('heading', { level: 1 })).toContainText('e2e-hello-once');
  const card = definitions.detail.getByTestId('container-hello');
  await expect(card).toContainText('taskdeck-test/busybox:latest');
  await expect(card).toContainText('GREETING');
  await expect(card).toContainText('hi');
  await expect(card).toContainText('DB_PASSWORD');
  await expect(card).not.toContainText('super-secret-value');
  await card.getByRole('button', { name: 'Reveal values' }).click();
  await expect(card).toContainText('super-secret-value');
});

test('paste a valid definition and an invalid one; errors show at their JSON path', async ({ app }) => {
  const { definitions, page } = app;
  await definitions.pasteFile(defs('long-runner.json'), { expectValid: true });
  await expect(definitions.item('e2e-long-runner')).toBeVisible();
  await expect(definitions.detail.getByTestId('container-sidecar')).toContainText('server');

  await definitions.pasteFile(defs('invalid-condition.json'), { expectValid: false });
  await expect(definitions.item('e2e-invalid')).toContainText('error');
  await expect(definitions.detail.getByTestId('invalid-badge')).toBeVisible();
  const error = definitions.issues('error').first();
  await expect(error).toContainText('containerDefinitions[0].dependsOn[0].condition');
  await expect(error).toContainText("Container dependency condition 'start' is invalid");
  // Launch is refused until it validates.
  await expect(definitions.detail.getByRole('button', { name: /Launch/ })).toBeDisabled();

  // Fix it in the JSON editor: live validation clears, save re-validates.
  const editor = definitions.detail.getByLabel('Definition JSON');
  const text = await editor.inputValue();
  await editor.fill(text.replace('"start"', '"START"'));
  await expect(definitions.detail.getByTestId('editor-status')).toHaveText('Valid');
  await definitions.detail.getByRole('button', { name: 'Save' }).click();
  await expect(definitions.detail.getByTestId('invalid-badge')).toBeHidden();
  await expect(definitions.detail.getByRole('button', { name: /Launch/ })).toBeEnabled();

  // Syntax errors come with a line number.
  await definitions.paste('{ "family": "broken", ', { expectValid: false });
  await expect(definitions.issues('error').first()).toBeVisible();
  await page.reload();
  await expect(definitions.items).toHaveCount(3);
});

test('the example definition is one click away', async ({ app }) => {
  await app.page.getByRole('button', { name: 'Add an example definition' }).click();
  await expect(app.definitions.item('example-web-and-worker')).toBeVisible();
  await expect(app.definitions.detail.getByTestId('container-worker')).toContainText('HEALTHY');
});
