/**
 * Web mode: the same contract as Electron IPC, over HTTP (`POST /api/<operation>`, JSON body →
 * envelope) and a WebSocket (`/ws`) that pushes topics. Listens on 127.0.0.1 only. The page and
 * its assets are public (nothing secret in them); every call and upgrade must come from this
 * origin and carry the token in a header or WebSocket subprotocol (see auth.ts). The page gets
 * the token by exchanging the single-use code of a printed link (see link-codes.ts).
 * Connection-bound operations (exec sessions) travel over the WebSocket itself — `{call, op,
 * input}` → `{reply, result}` — so a session belongs to that one authenticated socket: nothing
 * else can write to it, and it ends when the socket does.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CallerContext } from '../../contract/caller.js';
import { isConnectionOperation } from '../../contract/operation-names.js';
import type { TopicMessage } from '../../contract/topics.js';
import { packLogLines } from '../../contract/log-wire.js';
import {
  WEB_CODE_EXCHANGE_PATH,
  WEB_LINK_CODE_PARAM,
  WEB_NEW_LINK_PATH,
  WEB_SOCKET_PROTOCOL,
} from '../../contract/web-session.js';
import type { AppRuntime } from '../composition-root.js';
import { dispatchOperation } from '../services/dispatch.js';
import { createToken, isAllowedHost, refuseCall, refuseUpgrade } from './auth.js';
import { rejectUpgrade, securityHeaders, sendError, sendJson } from './http-replies.js';
import { createLinkCodes, type LinkCodeOptions } from './link-codes.js';
import { createPushSender, type PushLimits } from './push-backpressure.js';
import { readBody, refuseOversized } from './request-body.js';
import { parseSocketTopics, type SocketTopics } from './socket-topics.js';
import { loadStaticFile } from './static-files.js';

/** How to start the server. */
export interface WebServerOptions {
  readonly runtime: Pick<AppRuntime, 'handlers' | 'bus' | 'docker'>;
  /** Built renderer directory (out/renderer). */
  readonly rendererDir: string;
  /** 0 = any free port. */
  readonly port?: number;
  /** Fixed token (TASKDECK_WEB_TOKEN, tests); random otherwise. Never printed or logged. */
  readonly token?: string;
  /** Clock and lifetime of link codes (tests inject a clock). */
  readonly linkCodes?: LinkCodeOptions;
  /** Largest request body accepted (default 2 MiB). */
  readonly maxBodyBytes?: number;
  /** Back-pressure of WebSocket pushes (see push-backpressure.ts; tests make it small). */
  readonly pushLimits?: PushLimits;
}

/** A running server. */
export interface WebServer {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /** A fresh single-use link (`<origin>/?code=…`): what may be printed or handed to a browser. */
  newLink(): string;
  /** Bytes waiting in the WebSockets' send buffers (all clients): bounded by back-pressure. */
  pushBacklogBytes(): number;
  close(): Promise<void>;
}

const MAX_BODY = 2 * 1024 * 1024;

/** The path of a request target, or undefined when it is not an origin-form path. */
function requestPath(target: string | undefined): string | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  try {
    // A fixed base and a target that starts with "/": "//host/x" stays a path, never a host.
    return new URL(`http://127.0.0.1${target}`).pathname;
  } catch {
    return undefined;
  }
}

/** Starts listening on 127.0.0.1; resolves once the port is bound. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? createToken();
  const codes = createLinkCodes(options.linkCodes);
  const maxBody = options.maxBodyBytes ?? MAX_BODY;
  const { handlers, bus, docker } = options.runtime;
  let port = 0;
  const origin = (): string => `http://127.0.0.1:${port}`;
  const newLink = (): string => `${origin()}/?${WEB_LINK_CODE_PARAM}=${codes.issue()}`;

  /** Reads a JSON body; answers (400/413) and returns undefined when there is none to use. */
  const readJson = async (
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
  ): Promise<{ value: unknown } | undefined> => {
    const body = await readBody(req, maxBody);
    if ('tooLarge' in body) {
      const message = `Request body too large (limit ${maxBody} bytes)`;
      refuseOversized(req, res, { ok: false, error: { code: 'BAD_REQUEST', message } }, headers);
      return undefined;
    }
    if (body.text.trim() === '') return { value: {} };
    try {
      return { value: JSON.parse(body.text) as unknown };
    } catch (err) {
      const message = `Request body is not valid JSON: ${(err as Error).message}`;
      sendError(res, 400, 'BAD_REQUEST', message, headers);
      return undefined;
    }
  };

  const handleApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    headers: Record<string, string>,
  ): Promise<void> => {
    const refused = refuseCall(req, port, token);
    if (refused) {
      const extra: Record<string, string> = refused.status === 405 ? { Allow: 'POST' } : {};
      sendError(res, refused.status, refused.code, refused.message, { ...headers, ...extra });
      return;
    }
    let op: string;
    try {
      op = decodeURIComponent(path.slice('/api/'.length));
    } catch {
      const message = `Operation name in ${JSON.stringify(path)} has a malformed %-escape`;
      sendError(res, 400, 'BAD_REQUEST', message, headers);
      return;
    }
    const input = await readJson(req, res, headers);
    if (!input) return;
    const result = await dispatchOperation(handlers, op, input.value);
    const status = result.ok
      ? 200
      : result.error.code === 'UNKNOWN_OPERATION'
        ? 404
        : result.error.code === 'BAD_REQUEST'
          ? 400
          : 200;
    sendJson(res, status, result, headers);
  };

  /** The code exchange needs no token (that is what it hands out), but every other rule holds. */
  const handleExchange = async (
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
  ): Promise<void> => {
    const refused = refuseCall(req, port, undefined);
    if (refused) {
      sendError(res, refused.status, refused.code, refused.message, headers);
      return;
    }
    const input = await readJson(req, res, headers);
    if (!input) return;
    const code = (input.value as { code?: unknown } | null)?.code;
    if (typeof code !== 'string' || !codes.redeem(code)) {
      const message =
        'This link was already used or has expired (links work once, for a minute): ' +
        'press Enter in the terminal running `taskdeck web` for a new one';
      sendError(res, 401, 'UNAUTHORIZED', message, headers);
      return;
    }
    sendJson(res, 200, { ok: true, value: { token } }, headers);
  };

  const handleNewLink = (
    req: IncomingMessage,
    res: ServerResponse,
    headers: Record<string, string>,
  ): void => {
    const refused = refuseCall(req, port, token);
    if (refused) {
      sendError(res, refused.status, refused.code, refused.message, headers);
      return;
    }
    // Nothing to read: let Node discard whatever body came along.
    sendJson(res, 200, { ok: true, value: { url: newLink() } }, headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = securityHeaders(port);
    if (!isAllowedHost(req.headers.host, port)) {
      sendError(res, 403, 'FORBIDDEN', 'Host not allowed', headers);
      return;
    }
    const path = requestPath(req.url);
    if (path === undefined) {
      sendError(res, 400, 'BAD_REQUEST', 'Malformed request target', headers);
      return;
    }
    if (path.startsWith('/api/')) return handleApi(req, res, path, headers);
    if (path === WEB_CODE_EXCHANGE_PATH) return handleExchange(req, res, headers);
    if (path === WEB_NEW_LINK_PATH) return handleNewLink(req, res, headers);

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'BAD_REQUEST', 'Method not allowed', { ...headers, Allow: 'GET, HEAD' });
      return;
    }
    const file = await loadStaticFile(options.rendererDir, path);
    if (!file) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(path === '/' ? 'Renderer not built: run `npx electron-vite build`' : 'Not found');
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
      'Cache-Control': file.isIndex ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // Never the request itself (headers carry the token): just what failed.
      console.error('[taskdeck] web request failed:', err instanceof Error ? err.message : String(err));
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    // Select our protocol, never echo the one carrying the token.
    handleProtocols: (protocols) => (protocols.has(WEB_SOCKET_PROTOCOL) ? WEB_SOCKET_PROTOCOL : false),
  });
  server.on('upgrade', (req, socket, head) => {
    const refused = refuseUpgrade(req, port, token);
    if (refused) {
      rejectUpgrade(socket, refused.status, refused.reason);
      return;
    }
    if (requestPath(req.url) !== '/ws') {
      rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    const wanted = parseSocketTopics(req.url ?? '/');
    if ('error' in wanted) {
      rejectUpgrade(socket, 400, `Bad Request (${wanted.error})`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, wanted));
  });

  wss.on('connection', (ws: WebSocket, wanted: SocketTopics) => {
    // Pushes wait in the socket up to a bound, then are dropped and the page told to resync.
    const pusher = createPushSender(ws, options.pushLimits);
    const send = (message: TopicMessage): void => pusher.push(() => JSON.stringify(message));
    const { logsOf } = wanted;
    const offs = wanted.topics.map((topic) =>
      topic === 'logs:lines' && logsOf !== undefined
        ? bus.subscribe('logs:lines', (lines) => {
            const mine = lines.filter((l) => l.taskId === logsOf);
            if (mine.length === 0) return;
            if (wanted.packed) pusher.push(() => packLogLines(mine));
            else send({ topic, payload: mine });
          })
        : bus.subscribe(topic, (payload) => send({ topic, payload } as TopicMessage)),
    );
    if (wanted.topics.includes('docker:status')) send({ topic: 'docker:status', payload: docker.status() });
    const disconnectListeners = new Set<() => void>();
    const caller: CallerContext = {
      connectionId: `ws:${randomUUID()}`,
      push: (topic, payload) => send({ topic, payload } as TopicMessage),
      onDisconnect(listener) {
        disconnectListeners.add(listener);
        return () => disconnectListeners.delete(listener);
      },
    };
    ws.on('close', () => {
      pusher.close();
      offs.forEach((off) => off());
      for (const listener of [...disconnectListeners]) listener();
      disconnectListeners.clear();
    });
    ws.on('error', () => ws.terminate());
    ws.on('message', (raw, isBinary) => {
      if (isBinary) return;
      let message: { call?: unknown; op?: unknown; input?: unknown };
      try {
        message = JSON.parse(raw.toString()) as typeof message;
      } catch {
        return;
      }
      const call = message.call;
      if (typeof call !== 'number' || typeof message.op !== 'string') return;
      const op = message.op;
      const reply = (result: unknown): void => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ reply: call, result }));
      };
      if (!isConnectionOperation(op)) {
        reply({
          ok: false,
          error: { code: 'FORBIDDEN', message: `${op} is not sent over the WebSocket: use POST /api/${op}` },
        });
        return;
      }
      dispatchOperation(handlers, op, message.input, caller)
        .then(reply)
        .catch((err: unknown) =>
          reply({ ok: false, error: { code: 'INTERNAL', message: (err as Error).message } }),
        );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    origin: origin(),
    port,
    token,
    newLink,
    pushBacklogBytes: () => [...wss.clients].reduce((sum, c) => sum + c.bufferedAmount, 0),
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
