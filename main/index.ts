/** Electron entry: app lifecycle only; everything else is built by the composition root. */
import { app, BrowserWindow, ipcMain, protocol, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppRuntime, type AppRuntime } from './composition-root.js';
import { forwardTopics } from './ipc/forward-topics.js';
import { registerIpcHandlers, trustedSender } from './ipc/register-ipc.js';
import { createMainWindow } from './window/main-window.js';
import { rendererUrl } from './window/renderer-url.js';
import {
  APP_SCHEME,
  hardenSession,
  hardenWebContents,
  isTrustedRendererUrl,
  registerAppProtocol,
} from './window/security.js';

const here = dirname(fileURLToPath(import.meta.url));
const devServerUrl = rendererUrl({ isPackaged: app.isPackaged, env: process.env });

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

if (!app.requestSingleInstanceLock()) app.quit();

let runtime: AppRuntime | undefined;

app.on('web-contents-created', (_event, contents) =>
  hardenWebContents(contents, devServerUrl, (url) => shell.openExternal(url)),
);

app.on('second-instance', () => {
  const win = BrowserWindow.getAllWindows()[0];
  if (win) {
    if (win.isMinimized()) win.restore();
    win.focus();
  }
});

void app.whenReady().then(async () => {
  hardenSession(session.defaultSession, devServerUrl);
  registerAppProtocol(protocol, join(here, '../renderer'));
  runtime = await createAppRuntime({ mode: 'electron' });
  registerIpcHandlers(
    ipcMain,
    runtime.handlers,
    trustedSender((url) => isTrustedRendererUrl(url, devServerUrl)),
  );
  forwardTopics(runtime.bus, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
  const open = (): void => {
    createMainWindow({
      preloadPath: join(here, '../preload/index.cjs'),
      ...(devServerUrl ? { devServerUrl } : {}),
    });
  };
  open();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !runtime) return;
  // Close the engine (tasks keep running; re-adopted next start), then quit for real.
  event.preventDefault();
  quitting = true;
  void runtime.close().finally(() => app.quit());
});
