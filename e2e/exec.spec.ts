/** ECS Exec in the app (web mode, Chromium): a real shell in a running container, over the WebSocket. */
import { resolve } from 'node:path';
import { EXEC_NOT_ENABLED_MESSAGE } from '../contract/errors.js';
import { expect, test } from './fixtures/test.js';
import { ExecPanel } from './pages/exec-panel.js';

const defs = (name: string) => resolve(import.meta.dirname, 'definitions', name);

test('open a shell, see the metadata endpoint, resize, run two sessions, exit', async ({ app, page }) => {
  // Two tasks' worth of Docker work and a dozen shell round trips on a shared 2-core machine.
  test.setTimeout(240_000);
  const { definitions, tasks } = app;
  await page.setViewportSize({ width: 1400, height: 1000 });
  await definitions.importFile(defs('long-runner.json'));
  const dialog = await definitions.openLaunch();
  await dialog.setPull('prefer-cached');
  await dialog.enableExec();
  await dialog.launch();
  await tasks.expectStatus('RUNNING');
  await expect(tasks.container('sidecar')).toContainText('RUNNING');
  await expect(tasks.detail).toContainText('ECS Exec');

  const exec = new ExecPanel(page);
  await exec.open('server');
  await expect(exec.root).toBeVisible();
  await exec.expectPrompt();
  await exec.run('echo $ECS_CONTAINER_METADATA_URI_V4');
  await expect(exec.screen()).toContainText('http://169.254.170.2/v4/');
  const [rows1, cols1] = await exec.sttySize('BEFORE');
  await app.screenshot('exec-shell');

  // Copy and paste: a selected line copies with Ctrl+C; a paste goes to the shell.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await exec
    .screen()
    .getByText(/^BEFORE=\d+/)
    .click({ clickCount: 3, force: true }); // xterm takes the clicks on its screen layer above the rows
  await page.keyboard.press('Control+C');
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/BEFORE=\d+ \d+/);
  // Headless Chromium does not turn Ctrl+V into a paste; deliver the paste event the browser would.
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'echo pasted-$((2*21))');
    document
      .querySelector('[data-testid="exec-pane"]:not([hidden]) .xterm-helper-textarea')
      ?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await page.keyboard.press('Enter');
  await expect(exec.screen()).toContainText('pasted-42');

  // The terminal follows the panel: a narrower window gives the shell fewer columns.
  await page.setViewportSize({ width: 900, height: 1000 });
  await expect
    .poll(async () => (await exec.sttySize(`AFTER${Date.now()}`))[1], { timeout: 60_000 })
    .toBeLessThan(cols1);
  const [rows2] = await exec.sttySize('ROWS');
  expect(rows2).toBe(rows1);
  await app.screenshot('exec-resized');

  // A second session at once, in another container; the first keeps its own screen.
  await exec.open('sidecar');
  await expect(exec.tab(1)).toHaveAttribute('aria-selected', 'true');
  await exec.expectPrompt();
  await exec.run('echo second-$((40+2))');
  await expect(exec.screen()).toContainText('second-42');
  await app.screenshot('exec-two-sessions');
  await exec.run('exit 3');
  await expect(exec.screen()).toContainText('[session ended: exit 3]');

  await exec.tab(0).click();
  await expect(exec.screen()).not.toContainText('second-42');
  await exec.run('exit');
  await expect(exec.screen()).toContainText('[session ended: exit 0]');
  await expect(exec.tab(0)).toContainText('exit 0');
  await app.screenshot('exec-ended');
});

test('without ECS Exec: ECS says so, and one click re-runs the task with it enabled', async ({
  app,
  page,
}) => {
  test.setTimeout(240_000);
  const { definitions, tasks } = app;
  await definitions.importFile(defs('long-runner.json'));
  const dialog = await definitions.openLaunch();
  await dialog.setPull('prefer-cached');
  await dialog.launch();
  await tasks.expectStatus('RUNNING');
  const firstId = await tasks.taskId();

  const exec = new ExecPanel(page);
  await exec.open('server');
  const refused = page.getByTestId('exec-not-enabled');
  await expect(refused).toContainText(EXEC_NOT_ENABLED_MESSAGE);
  await app.screenshot('exec-not-enabled');
  await refused.getByTestId('rerun-with-exec').click();
  await expect(refused).toBeHidden();
  await expect.poll(() => tasks.taskId()).not.toBe(firstId);
  await tasks.expectStatus('RUNNING');
  await expect(tasks.detail).toContainText('ECS Exec');
  await exec.open('server');
  await exec.expectPrompt();
  await exec.run('echo enabled-$((1+1))');
  await expect(exec.screen()).toContainText('enabled-2');
});
