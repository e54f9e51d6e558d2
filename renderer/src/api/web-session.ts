/**
 * Web mode's session: the printed link carries a single-use code; the page takes it out of the
 * address bar at once, exchanges it for the token, and keeps the token in this tab's
 * sessionStorage (it survives a reload, never reaches a cookie, a URL or another tab).
 */
import { WEB_CODE_EXCHANGE_PATH, WEB_LINK_CODE_PARAM } from '../../../contract/web-session.js';

const STORAGE_KEY = 'taskdeck.webToken';

/** The link code in `href`, and the same URL without it (path, other parameters and hash kept). */
export function takeLinkCode(href: string): { readonly code?: string; readonly cleanUrl: string } {
  const url = new URL(href);
  const code = url.searchParams.get(WEB_LINK_CODE_PARAM) ?? undefined;
  url.searchParams.delete(WEB_LINK_CODE_PARAM);
  const cleanUrl = `${url.pathname}${url.search}${url.hash}`;
  return code === undefined ? { cleanUrl } : { code, cleanUrl };
}

async function exchange(code: string): Promise<{ token: string } | { error: string }> {
  try {
    const res = await fetch(WEB_CODE_EXCHANGE_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
      credentials: 'omit',
      cache: 'no-store',
    });
    const body = (await res.json()) as
      { ok: true; value: { token: string } } | { ok: false; error: { message: string } };
    return body.ok ? { token: body.value.token } : { error: body.error.message };
  } catch (err) {
    return { error: `Cannot reach the Taskdeck server: ${(err as Error).message}` };
  }
}

function stored(): string | undefined {
  try {
    return sessionStorage.getItem(STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

/** This tab's token: from the link's code (exchanged once) or from an earlier load of this tab. */
export async function startWebSession(): Promise<{ token: string } | { error: string }> {
  const { code, cleanUrl } = takeLinkCode(location.href);
  if (code === undefined) {
    const token = stored();
    return token !== undefined
      ? { token }
      : { error: 'Open the link printed by `taskdeck web` (press Enter in its terminal for a new one).' };
  }
  // Out of the address bar (and history) before anything else happens.
  history.replaceState(history.state, '', cleanUrl);
  const result = await exchange(code);
  if ('token' in result) {
    sessionStorage.setItem(STORAGE_KEY, result.token);
    return result;
  }
  // A spent link opened again in a tab that already has a session: keep that session.
  const token = stored();
  return token !== undefined ? { token } : result;
}
