/**
 * Web-mode access rules, pure over request headers. The server must not act for any page but its
 * own: the Host must be this loopback server (defeats DNS rebinding); a browser request must come
 * from this origin (`Origin`, `Sec-Fetch-Site`: cookies and same-site rules ignore ports, so
 * another server on 127.0.0.1 is "same-site"); bodies must be JSON (a cross-origin page can only
 * send text/plain, form or multipart bodies without a CORS preflight, which we never grant); and
 * the token is read from the `X-Taskdeck-Token` header only (a cookie or a query string would be
 * sent along by the browser, or shown in `ps` and history).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { WEB_SOCKET_TOKEN_PREFIX, WEB_TOKEN_HEADER } from '../../contract/web-session.js';

/** A fresh unguessable secret (256 bits, base64url): tokens and link codes. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison, also across different lengths (both sides are hashed first). */
export function tokensEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b)) && a.length === b.length;
}

/** Whether the Host header names this loopback server (127.0.0.1, localhost or [::1] on our port). */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

/** Whether an Origin header value is this server (scheme, host and port). */
export function isThisOrigin(origin: string, port: number): boolean {
  return (
    origin === `http://127.0.0.1:${port}` ||
    origin === `http://localhost:${port}` ||
    origin === `http://[::1]:${port}`
  );
}

/** Why a request did not come from this server's own page, or undefined when it may have. */
export function crossOriginReason(headers: IncomingHttpHeaders, port: number): string | undefined {
  const origin = headers.origin;
  // Browsers send Origin on every POST and WebSocket handshake; scripts (curl, tests) send none
  // and are held to the token alone.
  if (origin !== undefined && !isThisOrigin(origin, port)) {
    return `Origin ${JSON.stringify(origin)} is not this server`;
  }
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    return `Sec-Fetch-Site is ${JSON.stringify(site)}: only this server's own page may call it`;
  }
  return undefined;
}

/** Whether a Content-Type is `application/json` (parameters such as charset allowed). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const media = contentType.split(';', 1)[0] ?? '';
  return media.trim().toLowerCase() === 'application/json';
}

/** The token of a request: the `X-Taskdeck-Token` header, nothing else. */
export function headerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers[WEB_TOKEN_HEADER.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

/** The token a WebSocket handshake offered as a subprotocol (`taskdeck.token.<token>`). */
export function socketProtocolToken(headers: IncomingHttpHeaders): string | undefined {
  const offered = headers['sec-websocket-protocol'];
  if (typeof offered !== 'string') return undefined;
  for (const protocol of offered.split(',')) {
    const p = protocol.trim();
    if (p.startsWith(WEB_SOCKET_TOKEN_PREFIX)) return p.slice(WEB_SOCKET_TOKEN_PREFIX.length);
  }
  return undefined;
}

/** A refused request: HTTP status and the error envelope's code and message. */
export interface Refusal {
  readonly status: 401 | 403 | 405 | 415;
  readonly code: 'UNAUTHORIZED' | 'FORBIDDEN' | 'BAD_REQUEST';
  readonly message: string;
}

/** The request as the rules see it. */
export interface RequestHead {
  readonly method?: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

/**
 * Why a call (`/api/*`, `/auth/*`) must be refused, or undefined to accept it. `token` undefined
 * means the endpoint needs no token (the code exchange), but every other rule still applies.
 */
export function refuseCall(req: RequestHead, port: number, token: string | undefined): Refusal | undefined {
  if (!isAllowedHost(req.headers.host, port)) {
    return { status: 403, code: 'FORBIDDEN', message: 'Host not allowed' };
  }
  const crossOrigin = crossOriginReason(req.headers, port);
  if (crossOrigin !== undefined) return { status: 403, code: 'FORBIDDEN', message: crossOrigin };
  if (req.method !== 'POST') return { status: 405, code: 'BAD_REQUEST', message: 'Use POST' };
  if (!isJsonContentType(req.headers['content-type'])) {
    return { status: 415, code: 'BAD_REQUEST', message: 'Content-Type must be application/json' };
  }
  if (token !== undefined) {
    const given = headerToken(req.headers);
    if (given === undefined || !tokensEqual(given, token)) {
      return {
        status: 401,
        code: 'UNAUTHORIZED',
        message: `Missing or wrong ${WEB_TOKEN_HEADER} header: open a new link from \`taskdeck web\` (press Enter in its terminal for one)`,
      };
    }
  }
  return undefined;
}

/** Why a WebSocket upgrade must be refused (status + reason phrase), or undefined to accept it. */
export function refuseUpgrade(
  req: RequestHead,
  port: number,
  token: string,
): { readonly status: 401 | 403; readonly reason: string } | undefined {
  if (!isAllowedHost(req.headers.host, port) || crossOriginReason(req.headers, port) !== undefined) {
    return { status: 403, reason: 'Forbidden' };
  }
  const given = socketProtocolToken(req.headers);
  if (given === undefined || !tokensEqual(given, token)) return { status: 401, reason: 'Unauthorized' };
  return undefined;
}

/** What a usable TASKDECK_WEB_TOKEN looks like: header- and subprotocol-safe, long enough. */
const WEB_TOKEN_FORM = /^[A-Za-z0-9._~-]{32,512}$/;

/**
 * The token scripts chose through TASKDECK_WEB_TOKEN, undefined when unset (a random one is used),
 * or an error that describes the problem without echoing the value.
 */
export function tokenFromEnv(env: NodeJS.ProcessEnv): { token?: string; error?: string } {
  const value = env['TASKDECK_WEB_TOKEN'];
  if (value === undefined || value === '') return {};
  if (!WEB_TOKEN_FORM.test(value)) {
    return {
      error:
        'TASKDECK_WEB_TOKEN must be 32–512 characters of A–Z, a–z, 0–9, ".", "_", "~" or "-" ' +
        `(it has ${value.length} characters)`,
    };
  }
  return { token: value };
}
