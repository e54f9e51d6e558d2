/** Web mode's connection-bound operations: over the authenticated WebSocket only, pushes to that socket only. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CallerContext } from '../../contract/caller.js';
import type { ApiHandlers } from '../../contract/operations.js';
import { WEB_SOCKET_PROTOCOL, WEB_SOCKET_TOKEN_PREFIX } from '../../contract/web-session.js';
import type { DockerSession } from '../services/docker-session.js';
import { createTopicBus } from '../services/topic-bus.js';
import { startWebServer, type WebServer } from './web-server.js';

const SESSION = 'A'.repeat(22);

describe('web mode exec transport', () => {
  let server: WebServer;
  let dir: string;
  const callers: CallerContext[] = [];
  const disconnected: string[] = [];

  beforeEach(async () => {
    callers.length = 0;
    disconnected.length = 0;
    dir = mkdtempSync(join(tmpdir(), 'taskdeck-web-exec-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    const handlers = {
      'tasks:list': async () => [],
      'exec:start': async (params: { container: string }, caller?: CallerContext) => {
        if (!caller) throw new Error('no caller');
        callers.push(caller);
        caller.onDisconnect(() => disconnected.push(caller.connectionId));
        caller.push('exec:output', { sessionId: SESSION, data: Buffer.from('hi').toString('base64') });
        return { sessionId: SESSION, taskId: 't', container: params.container, command: ['/bin/sh'] };
      },
    } as unknown as ApiHandlers;
    const docker = {
      status: () => ({ connected: true, endpoint: 'x', source: 'default' }),
    } as unknown as DockerSession;
    server = await startWebServer({
      runtime: { handlers, bus: createTopicBus(5), docker },
      rendererDir: dir,
      token: 'b'.repeat(32),
    });
  });

  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = async (): Promise<{ ws: WebSocket; messages: unknown[]; next: () => Promise<unknown> }> => {
    // Authenticated as the page does: the token in a subprotocol value, never the URL.
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, [
      WEB_SOCKET_PROTOCOL,
      `${WEB_SOCKET_TOKEN_PREFIX}${server.token}`,
    ]);
    const messages: unknown[] = [];
    const waiting: ((m: unknown) => void)[] = [];
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as { topic?: string };
      if (m.topic === 'docker:status') return;
      const w = waiting.shift();
      if (w) w(m);
      else messages.push(m);
    });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const next = () =>
      messages.length > 0 ? Promise.resolve(messages.shift()) : new Promise<unknown>((r) => waiting.push(r));
    return { ws, messages, next };
  };

  const start = { taskId: 't', container: 'app', cols: 80, rows: 24 };

  it('refuses exec operations over HTTP: they belong to a WebSocket', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/api/exec:start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-taskdeck-token': server.token },
      body: JSON.stringify(start),
    });
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(callers).toEqual([]);
  });

  it('runs exec operations over the socket and pushes their output to that socket only', async () => {
    const a = await connect();
    const b = await connect();
    a.ws.send(JSON.stringify({ call: 1, op: 'exec:start', input: start }));
    const first = await a.next();
    const second = await a.next();
    expect([first, second]).toEqual([
      { topic: 'exec:output', payload: { sessionId: SESSION, data: 'aGk=' } },
      {
        reply: 1,
        result: {
          ok: true,
          value: { sessionId: SESSION, taskId: 't', container: 'app', command: ['/bin/sh'] },
        },
      },
    ]);
    // Other operations keep to HTTP; bad input is validated as everywhere.
    a.ws.send(JSON.stringify({ call: 2, op: 'tasks:list', input: {} }));
    expect(await a.next()).toMatchObject({ reply: 2, result: { ok: false, error: { code: 'FORBIDDEN' } } });
    a.ws.send(JSON.stringify({ call: 3, op: 'exec:start', input: { ...start, cols: 0 } }));
    expect(await a.next()).toMatchObject({ reply: 3, result: { ok: false, error: { code: 'BAD_REQUEST' } } });

    // B saw nothing of A's session; closing A disconnects its caller, not B's.
    b.ws.send(JSON.stringify({ call: 1, op: 'exec:start', input: start }));
    await b.next();
    await b.next();
    expect(callers.map((c) => c.connectionId)).toHaveLength(2);
    expect(callers[0]!.connectionId).not.toBe(callers[1]!.connectionId);
    const closed = new Promise((r) => a.ws.once('close', r));
    a.ws.close();
    await closed;
    await expect.poll(() => disconnected).toEqual([callers[0]!.connectionId]);
    expect(b.messages).toEqual([]);
    b.ws.close();
  });
});
