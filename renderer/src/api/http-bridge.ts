/**
 * Web-mode transport: operations over `POST /api/<name>`, topics over one shared WebSocket that
 * reconnects with backoff. Mimics `window.taskdeck` so the rest of the app cannot tell the difference.
 */
import type { Subscribe, TaskdeckBridge } from '../../../contract/bridge.js';
import type { ApiResult } from '../../../contract/errors.js';
import { OPERATION_NAMES } from '../../../contract/operation-names.js';
import type { TopicMessage, TopicName } from '../../../contract/topics.js';
import {
  WEB_SOCKET_PROTOCOL,
  WEB_SOCKET_TOKEN_PREFIX,
  WEB_TOKEN_HEADER,
} from '../../../contract/web-session.js';

/** Callbacks about the push connection (the app refetches after a reconnect). */
export interface PushConnectionEvents {
  onOpen?: (reconnected: boolean) => void;
  onClose?: () => void;
}

/** Builds a bridge talking to the server this page came from. */
export function createHttpBridge(token: string, events: PushConnectionEvents = {}): TaskdeckBridge {
  const invokers: Record<string, (input: unknown) => Promise<ApiResult<unknown>>> = {};
  for (const name of OPERATION_NAMES) {
    invokers[name] = async (input: unknown) => {
      try {
        const res = await fetch(`/api/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', [WEB_TOKEN_HEADER]: token },
          credentials: 'omit',
          body: JSON.stringify(input ?? {}),
        });
        const body = (await res.json()) as ApiResult<unknown>;
        return body;
      } catch (err) {
        return {
          ok: false,
          error: { code: 'INTERNAL', message: `Cannot reach the Taskdeck server: ${(err as Error).message}` },
        };
      }
    };
  }

  const listeners = new Map<TopicName, Set<(payload: unknown) => void>>();
  let socket: WebSocket | undefined;
  let opened = false;
  let retryMs = 250;

  const connect = (): void => {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    // The token rides in a subprotocol value (never the URL); the server selects WEB_SOCKET_PROTOCOL.
    const ws = new WebSocket(`${proto}://${location.host}/ws`, [
      WEB_SOCKET_PROTOCOL,
      `${WEB_SOCKET_TOKEN_PREFIX}${token}`,
    ]);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      events.onOpen?.(opened);
      opened = true;
    };
    ws.onmessage = (ev: MessageEvent<string>) => {
      let message: TopicMessage;
      try {
        message = JSON.parse(ev.data) as TopicMessage;
      } catch {
        return;
      }
      for (const listener of listeners.get(message.topic) ?? []) listener(message.payload);
    };
    ws.onclose = () => {
      socket = undefined;
      events.onClose?.();
      // Reconnect with backoff (server restarts, laptop sleep); not polling: one timer per loss.
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };

  const subscribe = ((topic: TopicName, listener: (payload: unknown) => void) => {
    if (!socket) connect();
    let set = listeners.get(topic);
    if (!set) {
      set = new Set();
      listeners.set(topic, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }) as Subscribe;

  return { ...invokers, subscribe, transport: 'http' } as unknown as TaskdeckBridge;
}
