/** Electron entry: app lifecycle only; everything else is built by the composition root. */
import { app, BrowserWindow, dialog, protocol, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppRuntime, type AppRuntime } from './composition-root.js';
import { connectIpc } from './ipc/connect-ipc.js';
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

const ready = app.whenReady().then(async () => {
  hardenSession(session.defaultSession, devServerUrl);
  registerAppProtocol(protocol, join(here, '../renderer'));
  runtime = await createAppRuntime({ mode: 'electron' });
  connectIpc(runtime.handlers, runtime.bus, (url) => isTrustedRendererUrl(url, devServerUrl));
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
ready.catch((err: unknown) => {
  // Without a runtime there is nothing to show: say why and leave, rather than an empty app.
  console.error('[taskdeck] start-up failed:', err);
  dialog.showErrorBox('Taskdeck could not start', (err as Error)?.message ?? String(err));
  app.exit(1);
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
  runtime
    .close()
    .catch((err: unknown) => console.error('[taskdeck] closing the engine failed:', err))
    .finally(() => app.quit());
});
