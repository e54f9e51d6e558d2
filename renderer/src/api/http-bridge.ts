/**
 * Web-mode transport: operations over `POST /api/<name>`, topics over one shared WebSocket that
 * reconnects with backoff. Mimics `window.taskdeck` so the rest of the app cannot tell the difference.
 * Connection-bound operations (exec sessions) are calls on the WebSocket itself: the server ties a
 * session to the socket that started it, so when the socket drops, its sessions end (reported here
 * as a final `exec:output`).
 */
import type { Subscribe, TaskdeckBridge } from '../../../contract/bridge.js';
import type { ApiResult } from '../../../contract/errors.js';
import { PACKED_LOG_FORMAT, WEB_SOCKET_LOG_FORMAT_PARAM } from '../../../contract/log-wire.js';
import { isConnectionOperation, OPERATION_NAMES } from '../../../contract/operation-names.js';
import { TOPIC_NAMES, type TopicMessage, type TopicName } from '../../../contract/topics.js';
import {
  type WebResyncMessage,
  WEB_SOCKET_LOGS_OF_PARAM,
  WEB_SOCKET_PROTOCOL,
  WEB_SOCKET_TOKEN_PREFIX,
  WEB_SOCKET_TOPICS_PARAM,
  WEB_TOKEN_HEADER,
} from '../../../contract/web-session.js';

/** Callbacks about the push connection (the app refetches after a reconnect). */
export interface PushConnectionEvents {
  onOpen?: (reconnected: boolean) => void;
  onClose?: () => void;
  /** The server dropped pushes while this page was not reading fast enough: refetch. */
  onResync?: () => void;
}

/**
 * Web mode's extra for the logs viewer: what a worker needs to follow one task's logs itself — a
 * WebSocket carrying only that task's `logs:lines`, and an operation call (the history). The page's
 * own socket never carries log lines.
 */
export interface RawLogFeed {
  logSocket(taskId: string): { url: string; protocols: string[] };
  operationRequest(
    name: string,
    input: unknown,
  ): { url: string; init: { method: string; headers: Record<string, string>; body: string } };
}

/** The page's socket: every topic but `logs:lines` (those go to the viewer's own socket). */
const PAGE_TOPICS = TOPIC_NAMES.filter((t) => t !== 'logs:lines').join(',');

/** Builds a bridge talking to the server this page came from. */
export function createHttpBridge(token: string, events: PushConnectionEvents = {}): TaskdeckBridge {
  const invokers: Record<string, (input: unknown) => Promise<ApiResult<unknown>>> = {};
  for (const name of OPERATION_NAMES) {
    if (isConnectionOperation(name)) {
      invokers[name] = (input: unknown) => callOnSocket(name, input);
      continue;
    }
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
  let nextCall = 1;
  /** Calls sent on the current socket, waiting for their reply. */
  const pending = new Map<number, (result: ApiResult<unknown>) => void>();
  /** Calls waiting for the socket to open. */
  let queued: (() => void)[] = [];
  /** Exec sessions started on the current socket (they end with it). */
  const sessions = new Set<string>();

  const deliver = (topic: TopicName, payload: unknown): void => {
    for (const listener of listeners.get(topic) ?? []) listener(payload);
  };

  function callOnSocket(op: string, input: unknown): Promise<ApiResult<unknown>> {
    return new Promise((resolve) => {
      const send = (): void => {
        const ws = socket;
        if (!ws || ws.readyState !== WebSocket.OPEN) {
          resolve({
            ok: false,
            error: { code: 'INTERNAL', message: 'Not connected to the Taskdeck server' },
          });
          return;
        }
        const call = nextCall++;
        pending.set(call, (result) => {
          if (op === 'exec:start' && result.ok)
            sessions.add((result.value as { sessionId: string }).sessionId);
          resolve(result);
        });
        ws.send(JSON.stringify({ call, op, input: input ?? {} }));
      };
      if (socket?.readyState === WebSocket.OPEN) send();
      else {
        queued.push(send);
        if (!socket) connect();
      }
    });
  }

  const socketUrl = (query: string): string =>
    `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?${query}`;
  // The token rides in a subprotocol value (never the URL); the server selects WEB_SOCKET_PROTOCOL.
  const protocols = [WEB_SOCKET_PROTOCOL, `${WEB_SOCKET_TOKEN_PREFIX}${token}`];

  const connect = (): void => {
    const ws = new WebSocket(socketUrl(`${WEB_SOCKET_TOPICS_PARAM}=${PAGE_TOPICS}`), protocols);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      events.onOpen?.(opened);
      opened = true;
      const waiting = queued;
      queued = [];
      for (const send of waiting) send();
    };
    ws.onmessage = (ev: MessageEvent<string>) => {
      let message: TopicMessage | WebResyncMessage | { reply: number; result: ApiResult<unknown> };
      try {
        message = JSON.parse(ev.data) as typeof message;
      } catch {
        return;
      }
      if ('reply' in message) {
        const done = pending.get(message.reply);
        pending.delete(message.reply);
        done?.(message.result);
        return;
      }
      if ('resync' in message) {
        // The server dropped pushes for this page: every query refetches (logs have their own socket).
        events.onResync?.();
        return;
      }
      if (message.topic === 'exec:output' && message.payload.exited)
        sessions.delete(message.payload.sessionId);
      deliver(message.topic, message.payload);
    };
    ws.onclose = () => {
      socket = undefined;
      for (const done of pending.values()) {
        done({
          ok: false,
          error: { code: 'INTERNAL', message: 'The connection to the Taskdeck server was lost' },
        });
      }
      pending.clear();
      // The server ended these sessions with the socket; tell their terminals.
      for (const sessionId of sessions) {
        deliver('exec:output', {
          sessionId,
          exited: true,
          exitCode: null,
          reason: 'the connection was lost',
        });
      }
      sessions.clear();
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

  const raw: RawLogFeed = {
    logSocket: (taskId) => ({
      url: socketUrl(
        `${WEB_SOCKET_TOPICS_PARAM}=logs:lines&${WEB_SOCKET_LOGS_OF_PARAM}=${encodeURIComponent(taskId)}` +
          `&${WEB_SOCKET_LOG_FORMAT_PARAM}=${PACKED_LOG_FORMAT}`,
      ),
      protocols: [...protocols],
    }),
    operationRequest: (name, input) => ({
      url: new URL(`/api/${encodeURIComponent(name)}`, location.href).href,
      init: {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Taskdeck-Token': token },
        body: JSON.stringify(input ?? {}),
      },
    }),
  };

  return { ...invokers, subscribe, transport: 'http', raw } as unknown as TaskdeckBridge;
}
