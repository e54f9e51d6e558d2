/**
 * Web mode: the same contract as Electron IPC, over HTTP (`POST /api/<operation>`, JSON body →
 * envelope) and a WebSocket (`/ws`) that pushes topics. Listens on 127.0.0.1 only; every request
 * and upgrade must carry the token (401 otherwise). Connection-bound operations (exec sessions)
 * travel over the WebSocket itself — `{call, op, input}` → `{reply, result}` — so a session belongs
 * to that one authenticated socket: nothing else can write to it, and it ends when the socket does.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CallerContext } from '../../contract/caller.js';
import { isConnectionOperation } from '../../contract/operation-names.js';
import { TOPIC_NAMES, type TopicMessage } from '../../contract/topics.js';
import type { AppRuntime } from '../composition-root.js';
import { dispatchOperation } from '../services/dispatch.js';
import { authenticate, cookieName, createToken, isAllowedHost, isAllowedOrigin } from './auth.js';
import { loadStaticFile } from './static-files.js';

/** How to start the server. */
export interface WebServerOptions {
  readonly runtime: Pick<AppRuntime, 'handlers' | 'bus' | 'docker'>;
  /** Built renderer directory (out/renderer). */
  readonly rendererDir: string;
  /** 0 = any free port. */
  readonly port?: number;
  /** Fixed token (tests); random otherwise. */
  readonly token?: string;
}

/** A running server. */
export interface WebServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const MAX_BODY = 2 * 1024 * 1024;

function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('Request body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/** Starts listening on 127.0.0.1; resolves once the port is bound. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? createToken();
  const { handlers, bus, docker } = options.runtime;
  let port = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = securityHeaders(port);
    if (!isAllowedHost(req.headers.host, port)) {
      sendJson(res, 403, { ok: false, error: { code: 'FORBIDDEN', message: 'Host not allowed' } }, headers);
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const auth = authenticate(req, url, token, port);
    if (!auth) {
      sendJson(
        res,
        401,
        {
          ok: false,
          error: {
            code: 'UNAUTHORIZED',
            message: 'Missing or wrong token: open the URL printed by `taskdeck web`',
          },
        },
        headers,
      );
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') {
        sendJson(
          res,
          405,
          { ok: false, error: { code: 'BAD_REQUEST', message: 'Use POST' } },
          { ...headers, Allow: 'POST' },
        );
        return;
      }
      const op = decodeURIComponent(url.pathname.slice('/api/'.length));
      let input: unknown = {};
      try {
        const text = await readBody(req);
        input = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
      } catch (err) {
        const status = (err as { status?: number }).status ?? 400;
        sendJson(
          res,
          status,
          {
            ok: false,
            error: {
              code: 'BAD_REQUEST',
              message: `Request body is not valid JSON: ${(err as Error).message}`,
            },
          },
          headers,
        );
        return;
      }
      const result = await dispatchOperation(handlers, op, input);
      const status = result.ok
        ? 200
        : result.error.code === 'UNKNOWN_OPERATION'
          ? 404
          : result.error.code === 'BAD_REQUEST'
            ? 400
            : 200;
      sendJson(res, status, result, headers);
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(
        res,
        405,
        { ok: false, error: { code: 'BAD_REQUEST', message: 'Method not allowed' } },
        headers,
      );
      return;
    }
    const file = await loadStaticFile(options.rendererDir, url.pathname);
    if (!file) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(url.pathname === '/' ? 'Renderer not built: run `npx electron-vite build`' : 'Not found');
      return;
    }
    const extra: Record<string, string> = {};
    if (auth === 'query') {
      extra['Set-Cookie'] = `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    }
    res.writeHead(200, {
      ...headers,
      ...extra,
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
      'Cache-Control': file.isIndex ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      console.error('[taskdeck] web request failed:', err);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!isAllowedHost(req.headers.host, port) || !isAllowedOrigin(req.headers.origin, port)) {
      rejectUpgrade(socket, 403, 'Forbidden');
      return;
    }
    if (url.pathname !== '/ws') {
      rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    if (!authenticate(req, url, token, port)) {
      rejectUpgrade(socket, 401, 'Unauthorized');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const send = (message: TopicMessage): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const offs = TOPIC_NAMES.map((topic) =>
      bus.subscribe(topic, (payload) => send({ topic, payload } as TopicMessage)),
    );
    send({ topic: 'docker:status', payload: docker.status() });
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
      void dispatchOperation(handlers, op, message.input, caller).then(reply);
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
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
