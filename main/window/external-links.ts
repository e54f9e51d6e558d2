/**
 * Which links may leave the app for the user's default browser: only the task port links the UI
 * renders (`http://localhost:<port>` / `http://127.0.0.1:<port>`). Everything else a page might try
 * to open (other hosts, `file:`, custom schemes that start other programs) is refused, so a
 * compromised or confused renderer cannot use `shell.openExternal` as a launcher.
 */

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1']);

/** The normalised URL if it is an allowed port link, otherwise undefined. */
function allowedPortLink(raw: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:') return undefined;
  if (!LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  if (url.username !== '' || url.password !== '') return undefined;
  // WHATWG URL drops the scheme's default port (":80" → ""), as Chromium does before the window-open
  // handler sees the link, so "" means port 80. It rejects ports above 65535 itself.
  const port = url.port === '' ? 80 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) return undefined;
  return url;
}

/** Whether `url` is a port link the app may open in the user's browser. */
export function isAllowedExternalUrl(url: string): boolean {
  return allowedPortLink(url) !== undefined;
}

/**
 * Opens `url` with `open` (Electron's `shell.openExternal`) if it is allowed; returns whether it
 * did. The opener gets the normalised URL, never the raw string. A failing opener is reported to
 * `onError` (default: console.error) rather than becoming an unhandled rejection.
 */
export function openExternalSafely(
  url: string,
  open: (url: string) => Promise<void>,
  onError: (err: unknown) => void = (err) => console.error('Could not open the link in a browser:', err),
): boolean {
  const allowed = allowedPortLink(url);
  if (!allowed) return false;
  open(allowed.href).catch(onError);
  return true;
}
