/**
 * The real web server over real HTTP, on the real application runtime (settings store, library,
 * engine on Docker): raw requests a hostile local page or process could send must change nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createAppRuntime, type AppRuntime } from '../composition-root.js';
import { startWebServer, type WebServer } from './web-server.js';

const TOKEN = 'k'.repeat(20) + 'Z'.repeat(23);
const HELLO = JSON.stringify({
  family: 'web-sec-hello',
  containerDefinitions: [
    { name: 'hello', image: 'taskdeck-test/busybox:latest', essential: true, memoryReservation: 64 },
  ],
});

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One raw HTTP request: exactly the headers given (plus Host), nothing a client library adds. */
function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Writes `head` and `chunks` on a bare socket; resolves with everything read once it closes. */
function rawSocket(
  port: number,
  head: string,
  chunks: readonly Buffer[],
): Promise<{ text: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let error: string | undefined;
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', (err) => (error = (err as NodeJS.ErrnoException).code ?? err.message));
    socket.on('close', () => resolve(error === undefined ? { text } : { text, error }));
    socket.write(head);
    for (const chunk of chunks) socket.write(chunk);
  });
}

describe('web server on the real runtime', () => {
  let runtime: AppRuntime;
  let server: WebServer;
  let rendererDir: string;
  let dataDir: string;
  let now = 1_000_000;

  const api = (port: number, op: string, input: unknown, headers: Record<string, string> = {}) =>
    send(
      port,
      'POST',
      `/api/${op}`,
      { 'content-type': 'application/json', 'x-taskdeck-token': TOKEN, ...headers },
      JSON.stringify(input),
    );
  const state = async () => ({
    settings: JSON.parse((await api(server.port, 'settings:get', {})).body) as unknown,
    library: JSON.parse((await api(server.port, 'definitions:list', {})).body) as unknown,
    tasks: JSON.parse((await api(server.port, 'tasks:list', {})).body) as unknown,
  });

  beforeAll(async () => {
    rendererDir = mkdtempSync(join(tmpdir(), 'taskdeck-web-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    dataDir = mkdtempSync(join(tmpdir(), 'taskdeck-web-data-'));
    runtime = await createAppRuntime({ mode: 'web', dataDir });
    server = await startWebServer({
      runtime,
      rendererDir,
      token: TOKEN,
      linkCodes: { now: () => now },
    });
  });

  afterAll(async () => {
    await server.close();
    await runtime.close();
    rmSync(rendererDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(() => vi.restoreAllMocks());

  it('acts on nothing a hostile page or process can send: cookie, query, text/plain, foreign Origin, Sec-Fetch-Site', async () => {
    const before = await state();
    const port = server.port;
    const attacks: {
      name: string;
      path: (op: string) => string;
      headers: Record<string, string>;
      expect: number;
    }[] = [
      {
        name: 'cookie only',
        path: (op) => `/api/${op}`,
        headers: { 'content-type': 'application/json', cookie: `taskdeck_token_${port}=${TOKEN}` },
        expect: 401,
      },
      {
        name: 'query only',
        path: (op) => `/api/${op}?token=${TOKEN}`,
        headers: { 'content-type': 'application/json' },
        expect: 401,
      },
      {
        name: 'text/plain (no-cors fetch, text/plain form), even with the token',
        path: (op) => `/api/${op}`,
        headers: { 'content-type': 'text/plain;charset=UTF-8', 'x-taskdeck-token': TOKEN },
        expect: 415,
      },
      {
        name: 'form-urlencoded',
        path: (op) => `/api/${op}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-taskdeck-token': TOKEN },
        expect: 415,
      },
      {
        name: 'foreign Origin, even with the token',
        path: (op) => `/api/${op}`,
        headers: {
          'content-type': 'application/json',
          'x-taskdeck-token': TOKEN,
          origin: 'http://127.0.0.1:8080',
        },
        expect: 403,
      },
      {
        name: 'Sec-Fetch-Site same-site, even with the token',
        path: (op) => `/api/${op}`,
        headers: {
          'content-type': 'application/json',
          'x-taskdeck-token': TOKEN,
          'sec-fetch-site': 'same-site',
        },
        expect: 403,
      },
      {
        name: 'Sec-Fetch-Site cross-site, even with the token',
        path: (op) => `/api/${op}`,
        headers: {
          'content-type': 'application/json',
          'x-taskdeck-token': TOKEN,
          'sec-fetch-site': 'cross-site',
        },
        expect: 403,
      },
    ];
    const writes: [string, unknown][] = [
      ['settings:update', { dockerEndpoint: 'tcp://127.0.0.1:9' }],
      ['definitions:import', { text: HELLO, fileName: 'evil.json' }],
    ];
    for (const attack of attacks) {
      for (const [op, input] of writes) {
        const reply = await send(port, 'POST', attack.path(op), attack.headers, JSON.stringify(input));
        expect({ attack: attack.name, op, status: reply.status }).toEqual({
          attack: attack.name,
          op,
          status: attack.expect,
        });
        expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { message: expect.any(String) } });
        expect(reply.headers['set-cookie']).toBeUndefined();
        expect(reply.headers['access-control-allow-origin']).toBeUndefined();
      }
    }
    // A CORS preflight gets no permission either.
    const preflight = await send(port, 'OPTIONS', '/api/settings:update', {
      origin: 'http://127.0.0.1:8080',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-taskdeck-token',
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(await state()).toEqual(before);

    // The same request with the header, as JSON, from this origin works (the test is not vacuous).
    const ok = await api(
      port,
      'definitions:import',
      { text: HELLO, fileName: 'hello.json' },
      {
        origin: `http://127.0.0.1:${port}`,
        'sec-fetch-site': 'same-origin',
      },
    );
    expect(ok.status).toBe(200);
    const imported = (JSON.parse(ok.body) as { value: { id: string } }).value;
    await api(port, 'definitions:delete', { id: imported.id });
  });

  it('answers a malformed %-escape with 400 JSON and logs nothing', async () => {
    const logged = vi.spyOn(console, 'error');
    for (const path of ['/api/tasks%E0%A4%A:list', '/api/%', '/api/tasks%zzlist']) {
      const reply = await send(
        server.port,
        'POST',
        path,
        { 'content-type': 'application/json', 'x-taskdeck-token': TOKEN },
        '{}',
      );
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body)).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST', message: expect.stringContaining('malformed %-escape') },
      });
    }
    expect(logged).not.toHaveBeenCalled();
  });

  it('answers an oversized body with 413 and then closes the connection (no reset)', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 0x20);
    const head = (extra: string) =>
      `POST /api/definitions:validate HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
      `Content-Type: application/json\r\nX-Taskdeck-Token: ${TOKEN}\r\n${extra}\r\n`;

    const declared = await rawSocket(server.port, head(`Content-Length: ${big.length}\r\n`), [big]);
    expect(declared.error).toBeUndefined();
    expect(declared.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(declared.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(declared.text).toContain('too large');

    // Chunked: the size is only known while reading.
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const framed = [0, 1, 2].flatMap(() => [
      Buffer.from(`${chunk.length.toString(16)}\r\n`),
      chunk,
      Buffer.from('\r\n'),
    ]);
    const chunked = await rawSocket(server.port, head('Transfer-Encoding: chunked\r\n'), [
      ...framed,
      Buffer.from('0\r\n\r\n'),
    ]);
    expect(chunked.error).toBeUndefined();
    expect(chunked.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(chunked.text).toContain('too large');

    // The server is fine afterwards.
    expect((await api(server.port, 'tasks:list', {})).status).toBe(200);
  });

  describe('link codes', () => {
    const exchange = (code: string, headers: Record<string, string> = {}) =>
      send(
        server.port,
        'POST',
        '/auth/exchange',
        { 'content-type': 'application/json', ...headers },
        JSON.stringify({ code }),
      );
    const codeOf = (link: string) => new URL(link).searchParams.get('code') ?? '';

    it('exchange once for the token; a reused code is refused', async () => {
      const code = codeOf(server.newLink());
      const first = await exchange(code, {
        origin: `http://127.0.0.1:${server.port}`,
        'sec-fetch-site': 'same-origin',
      });
      expect(first.status).toBe(200);
      expect(JSON.parse(first.body)).toEqual({ ok: true, value: { token: TOKEN } });
      expect(first.headers['cache-control']).toBe('no-store');
      const again = await exchange(code);
      expect(again.status).toBe(401);
      expect(JSON.parse(again.body)).toMatchObject({
        error: { message: expect.stringContaining('already used or has expired') },
      });
    });

    it('expire after a minute (injected clock)', async () => {
      const code = codeOf(server.newLink());
      const fresh = codeOf(server.newLink());
      now += 60_000;
      expect((await exchange(code)).status).toBe(401);
      expect((await exchange(fresh)).status).toBe(401);
      const inTime = codeOf(server.newLink());
      now += 59_000;
      expect((await exchange(inTime)).status).toBe(200);
    });

    it('are exchanged only same-origin and as JSON; a refused attempt does not spend the code', async () => {
      const code = codeOf(server.newLink());
      expect((await exchange(code, { origin: 'http://127.0.0.1:8080' })).status).toBe(403);
      expect((await exchange(code, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
      const plain = await send(
        server.port,
        'POST',
        '/auth/exchange',
        { 'content-type': 'text/plain' },
        JSON.stringify({ code }),
      );
      expect(plain.status).toBe(415);
      expect((await send(server.port, 'GET', `/auth/exchange?code=${code}`, {})).status).toBe(405);
      expect((await exchange(code)).status).toBe(200);
    });

    it('a new link needs the token', async () => {
      const noToken = await send(
        server.port,
        'POST',
        '/auth/link',
        { 'content-type': 'application/json' },
        '{}',
      );
      expect(noToken.status).toBe(401);
      const withToken = await send(
        server.port,
        'POST',
        '/auth/link',
        { 'content-type': 'application/json', 'x-taskdeck-token': TOKEN },
        '{}',
      );
      expect(JSON.parse(withToken.body)).toMatchObject({
        ok: true,
        value: { url: expect.stringContaining('/?code=') },
      });
    });
  });

  it('upgrades /ws only for this origin with the token in a subprotocol, never a cookie or the query', async () => {
    const url = `ws://127.0.0.1:${server.port}/ws`;
    const outcome = (target: string, protocols: string[], headers: Record<string, string> = {}) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(target, protocols, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
        ws.on('open', () => {
          resolve(`open ${ws.protocol}`);
          ws.close();
        });
        ws.on('error', (err) => resolve(`error ${err.message}`));
      });
    const offer = ['taskdeck.v1', `taskdeck.token.${TOKEN}`];
    expect(await outcome(url, [])).toBe('401');
    expect(await outcome(`${url}?token=${TOKEN}`, [])).toBe('401');
    expect(await outcome(url, [], { cookie: `taskdeck_token_${server.port}=${TOKEN}` })).toBe('401');
    expect(await outcome(url, ['taskdeck.v1', 'taskdeck.token.wrong-wrong-wrong-wrong-wrong-wrong'])).toBe(
      '401',
    );
    expect(await outcome(url, offer, { origin: 'http://127.0.0.1:8080' })).toBe('403');
    expect(await outcome(url, offer, { origin: `http://127.0.0.1:${server.port}` })).toBe('open taskdeck.v1');
  });
});
