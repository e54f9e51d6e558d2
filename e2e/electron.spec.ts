/**
 * The Electron app end to end: launch it, import a definition, launch a task, watch it stop.
 * Runs where the Electron binary exists; otherwise skips, saying exactly why.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DefinitionsPage } from './pages/definitions-page.js';
import { TasksPage } from './pages/tasks-page.js';

const ROOT = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

function electronBinary(): { path?: string; expected: string } {
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const name =
    process.platform === 'darwin'
      ? 'Electron.app/Contents/MacOS/Electron'
      : process.platform === 'win32'
        ? 'electron.exe'
        : 'electron';
  const expected = join(pkgDir, 'dist', name);
  try {
    const path = require('electron') as unknown;
    if (typeof path === 'string' && existsSync(path)) return { path, expected };
  } catch {
    // path.txt is missing when the binary was never downloaded.
  }
  return { expected };
}

test('the Electron app launches a task', async () => {
  const bin = electronBinary();
  if (!bin.path) console.warn(`[electron.spec] skipped: Electron binary missing at ${bin.expected}`);
  test.skip(
    !bin.path,
    `Electron binary missing at ${bin.expected} (installed with ELECTRON_SKIP_BINARY_DOWNLOAD?); web mode is covered by the other specs`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'taskdeck-e2e-'));
  const app = await electron.launch({
    executablePath: bin.path,
    args: [ROOT],
    cwd: ROOT,
    env: { ...process.env, TASKDECK_DATA_DIR: dataDir },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByTestId('docker-status')).toHaveAttribute('data-state', 'connected');
    // Security: no Node in the renderer, only the bridge.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (window as unknown as { taskdeck?: object }).taskdeck)).toBe(
      'object',
    );

    const definitions = new DefinitionsPage(page);
    const tasks = new TasksPage(page);
    await definitions.importFile(join(ROOT, 'e2e/definitions/hello-once.json'));
    const dialog = await definitions.openLaunch();
    await dialog.setPull('prefer-cached');
    await dialog.launch();
    await tasks.expectStatus('RUNNING');
    await tasks.expectStatus('STOPPED');
    await expect(tasks.container('hello').getByTestId('exit-code')).toHaveText('0');
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
