/**
 * Window security: the renderer is served from a private `app://taskdeck` origin with a strict CSP;
 * navigation and new windows are blocked (port links go to the default browser instead); every
 * permission request is denied.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Protocol, Session, WebContents } from 'electron';
import { openExternalSafely } from './external-links.js';

/** The renderer's origin in production builds. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://taskdeck';

/** CSP for the renderer (no inline script, no remote anything). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Whether `url` is one of ours: the app origin, or the dev server when running `electron-vite dev`. */
export function isTrustedRendererUrl(url: string, devServerUrl?: string): boolean {
  try {
    const origin = new URL(url).origin;
    if (url.startsWith(`${APP_ORIGIN}/`) || origin === APP_ORIGIN) return true;
    return devServerUrl !== undefined && origin === new URL(devServerUrl).origin;
  } catch {
    return false;
  }
}

/** Serves `rendererDir` on app://taskdeck with the CSP header. Call after app ready. */
export function registerAppProtocol(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'taskdeck') return new Response('Not found', { status: 404 });
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = normalize(join(rendererDir, rel));
    if (!file.startsWith(rendererDir + sep)) return new Response('Forbidden', { status: 403 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

/** Denies all permissions; in dev adds the CSP header to dev-server responses. */
export function hardenSession(session: Session, devServerUrl?: string): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  if (devServerUrl !== undefined) {
    // Vite's dev server needs its websocket and inline HMR preamble.
    const devCsp = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
      .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
      .replace("connect-src 'self'", `connect-src 'self' ws://${new URL(devServerUrl).host}`);
    session.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [devCsp] },
      });
    });
  }
}

/**
 * Blocks navigation away from the app, new windows and webviews. A new-window request for a task
 * port link (see external-links.ts) is handed to `openExternal` (`shell.openExternal`) instead.
 */
export function hardenWebContents(
  contents: WebContents,
  devServerUrl?: string,
  openExternal?: (url: string) => Promise<void>,
): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedRendererUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedRendererUrl(url, devServerUrl)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (openExternal) openExternalSafely(url, openExternal);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
