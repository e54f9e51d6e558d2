/**
 * Back-pressure for one WebSocket's pushes. A client that stops reading (a frozen tab, a slow
 * link) must not make the server buffer without limit: once more than `highWaterBytes` wait in the
 * socket, pushes are dropped (counted) instead of queued; when the client has read the backlog down
 * to `lowWaterBytes`, it gets one `{"resync":{"dropped":n}}` message and re-fetches what it shows
 * (task list, logs after the last line it has). Replies to calls are not pushes and always go out.
 */
import type { WebSocket } from 'ws';
import type { WebResyncMessage } from '../../contract/web-session.js';

export interface PushLimits {
  /** Most bytes left waiting in the socket before pushes are dropped (default 8 MiB). */
  readonly highWaterBytes?: number;
  /** Backlog at which a dropping connection resumes, with a resync message (default a quarter). */
  readonly lowWaterBytes?: number;
  /** How often a dropping connection's backlog is looked at (default 200 ms; only while dropping). */
  readonly checkMs?: number;
}

export const DEFAULT_PUSH_HIGH_WATER_BYTES = 8 * 1024 * 1024;

/** A push sender for `ws`: `push(text)` sends or drops (serialising only what is sent); `close()` ends its timer. */
export function createPushSender(
  ws: WebSocket,
  limits: PushLimits = {},
): { push(text: () => string): void; close(): void } {
  const high = limits.highWaterBytes ?? DEFAULT_PUSH_HIGH_WATER_BYTES;
  const low = limits.lowWaterBytes ?? Math.floor(high / 4);
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;

  const close = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  const check = (): void => {
    if (ws.readyState !== ws.OPEN) return close();
    if (ws.bufferedAmount > low) return;
    close();
    const message: WebResyncMessage = { resync: { dropped } };
    dropped = 0;
    ws.send(JSON.stringify(message));
  };
  return {
    push(text) {
      if (ws.readyState !== ws.OPEN) return;
      if (timer || ws.bufferedAmount > high) {
        dropped++;
        timer ??= setInterval(check, limits.checkMs ?? 200);
        return;
      }
      ws.send(text());
    },
    close,
  };
}
