import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../contract/operations.js';
import type { DockerSession } from '../services/docker-session.js';
import { createTopicBus } from '../services/topic-bus.js';
import { startWebServer, type WebServer } from './web-server.js';

describe('web server', () => {
  let server: WebServer;
  let dir: string;
  const bus = createTopicBus(5);
  const TOKEN = 'a'.repeat(43);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'taskdeck-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    const handlers = { 'tasks:list': async () => [] } as unknown as ApiHandlers;
    const docker = {
      status: () => ({ connected: true, endpoint: 'x', source: 'default' }),
    } as unknown as DockerSession;
    server = await startWebServer({ runtime: { handlers, bus, docker }, rendererDir: dir, token: TOKEN });
  });

  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-taskdeck-token': TOKEN, ...headers },
      body,
    });

  it('hands out loopback links with a fresh single-use code, never the token', () => {
    const a = new URL(server.newLink());
    const b = new URL(server.newLink());
    expect(a.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(a.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.searchParams.get('code')).not.toBe(a.searchParams.get('code'));
    expect(a.href).not.toContain(TOKEN);
  });

  it('serves the page to anyone on loopback (nothing secret in it), sets no cookie, pins scripts', async () => {
    const page = await fetch(server.newLink());
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect((await fetch(`${server.origin}/`)).status).toBe(200);
  });

  it('validates operation input and reports bad JSON', async () => {
    expect(await (await post('/api/tasks:list', '{}')).json()).toEqual({ ok: true, value: [] });
    const bad = await post('/api/tasks:list', '{"x":1}');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const notJson = await post('/api/tasks:list', '{');
    expect(await notJson.json()).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('not valid JSON') },
    });
    expect((await post('/api/nope:op', '{}')).status).toBe(404);
  });

  it('issues a new link to a holder of the token only', async () => {
    const res = await post('/auth/link', '{}');
    const body = (await res.json()) as { value: { url: string } };
    expect(body.value.url).toMatch(new RegExp(`^${server.origin}/\\?code=`));
    expect((await post('/auth/link', '{}', { 'x-taskdeck-token': 'b'.repeat(43) })).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: '/', headers: { Host: 'evil.example:80' } },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.end();
    });
    expect(status).toBe(403);
  });
});
