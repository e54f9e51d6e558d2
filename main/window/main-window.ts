/** The main BrowserWindow: isolated, sandboxed, no Node in the renderer. */
import { BrowserWindow } from 'electron';
import { APP_ORIGIN } from './security.js';

/** Where the window loads from and its preload. */
export interface MainWindowOptions {
  readonly preloadPath: string;
  /** The dev server in an unpackaged dev run (see rendererUrl); otherwise app://taskdeck. */
  readonly devServerUrl?: string;
}

/**
 * Creates and loads the main window. Its webContents is hardened by the app-wide
 * `web-contents-created` hook in main/index.ts (as every webContents is); hardening it again here
 * would replace that hook's new-window handler.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Taskdeck',
    backgroundColor: '#111318',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  const url = options.devServerUrl ?? `${APP_ORIGIN}/index.html`;
  win.loadURL(url).catch((err: unknown) => console.error(`[taskdeck] could not load ${url}:`, err));
  return win;
}
