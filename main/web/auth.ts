/**
 * Web-mode access control: loopback Host only (defeats DNS rebinding) and a random per-process token
 * carried as `?token=`, an `x-taskdeck-token` header, or the HttpOnly cookie set on first page load.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh unguessable token (128 bits, hex). */
export function createToken(): string {
  return randomBytes(16).toString('hex');
}

/** Constant-time string comparison. */
export function tokensEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Cookie name, per port (cookies are per host, not per port). */
export function cookieName(port: number): string {
  return `taskdeck_token_${port}`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** Where the request's token came from, if it carried a valid one. */
export function authenticate(
  req: IncomingMessage,
  url: URL,
  token: string,
  port: number,
): 'query' | 'header' | 'cookie' | undefined {
  const q = url.searchParams.get('token');
  if (q !== null && tokensEqual(q, token)) return 'query';
  const h = req.headers['x-taskdeck-token'];
  if (typeof h === 'string' && tokensEqual(h, token)) return 'header';
  const c = cookieValue(req.headers.cookie, cookieName(port));
  if (c !== undefined && tokensEqual(c, token)) return 'cookie';
  return undefined;
}

/** Whether the Host header names this loopback server (127.0.0.1, localhost or [::1] on our port). */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

/** Whether a WebSocket Origin is this server (browsers always send Origin on upgrades). */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true; // non-browser clients (tests, CLI) still need the token
  return (
    origin === `http://127.0.0.1:${port}` ||
    origin === `http://localhost:${port}` ||
    origin === `http://[::1]:${port}`
  );
}
