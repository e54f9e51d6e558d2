/** The main BrowserWindow: isolated, sandboxed, no Node in the renderer. */
import { BrowserWindow } from 'electron';
import { APP_ORIGIN, hardenWebContents } from './security.js';

/** Where the window loads from and its preload. */
export interface MainWindowOptions {
  readonly preloadPath: string;
  /** `electron-vite dev` sets ELECTRON_RENDERER_URL; otherwise app://taskdeck. */
  readonly devServerUrl?: string;
}

/** Creates and loads the main window. */
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
  hardenWebContents(win.webContents, options.devServerUrl);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(options.devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}
