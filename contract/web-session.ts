/**
 * Web mode's session handshake, shared by the server (main/web) and the page (renderer/api).
 * The printed link carries a single-use code (`/?code=…`); the page exchanges it once for the
 * token and from then on sends the token only in a header (HTTP) or a WebSocket subprotocol value
 * — never in a cookie or a URL, which other local servers and `ps` could see.
 */

/** The only place `/api/*` accepts the token. */
export const WEB_TOKEN_HEADER = 'X-Taskdeck-Token';

/** Query parameter of the printed link holding the single-use code. */
export const WEB_LINK_CODE_PARAM = 'code';

/** `POST {"code": "…"}` (JSON, same origin) → `{ ok: true, value: { token } }`; the code is spent. */
export const WEB_CODE_EXCHANGE_PATH = '/auth/exchange';

/** `POST` with the token header → `{ ok: true, value: { url } }`: a fresh single-use link. */
export const WEB_NEW_LINK_PATH = '/auth/link';

/** The subprotocol the server selects on `/ws`. */
export const WEB_SOCKET_PROTOCOL = 'taskdeck.v1';

/** Prefix of the second offered subprotocol, which carries the token (`taskdeck.token.<token>`). */
export const WEB_SOCKET_TOKEN_PREFIX = 'taskdeck.token.';

/** How long a printed code stays valid. */
export const WEB_LINK_CODE_TTL_MS = 60_000;

/**
 * Sent on `/ws` after the server dropped pushes for a client that was not reading fast enough:
 * what the page shows may have missed updates, so it re-fetches (logs after its last line).
 */
export interface WebResyncMessage {
  readonly resync: { readonly dropped: number };
}

/**
 * Optional query parameters of `/ws`: `topics=a,b` pushes only those topics (default: all), and
 * `logsOf=<taskId>` narrows `logs:lines` to one task's lines. The logs viewer's worker opens such a
 * socket of its own, so the page's socket never carries log lines.
 */
export const WEB_SOCKET_TOPICS_PARAM = 'topics';
export const WEB_SOCKET_LOGS_OF_PARAM = 'logsOf';
