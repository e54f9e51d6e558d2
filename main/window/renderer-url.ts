/**
 * Where the renderer loads from. `electron-vite dev` sets ELECTRON_RENDERER_URL to its dev server;
 * a packaged app must never honour it, or anyone who can set an environment variable for the app
 * (a launcher, a shortcut, another local program) could swap the trusted UI — and with it the
 * IPC bridge's trust — for a page of their choosing.
 */

/** What the decision depends on: `app.isPackaged` and the process environment. */
export interface RendererUrlInput {
  readonly isPackaged: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The dev server URL to load, or undefined to load the app's own `app://` origin. */
export function rendererUrl({ isPackaged, env }: RendererUrlInput): string | undefined {
  if (isPackaged) return undefined;
  const raw = env['ELECTRON_RENDERER_URL'];
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? raw : undefined;
  } catch {
    return undefined;
  }
}
