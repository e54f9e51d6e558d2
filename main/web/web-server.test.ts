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

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'taskdeck-web-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    const handlers = { 'tasks:list': async () => [] } as unknown as ApiHandlers;
    const docker = {
      status: () => ({ connected: true, endpoint: 'x', source: 'default' }),
    } as unknown as DockerSession;
    server = await startWebServer({
      runtime: { handlers, bus, docker },
      rendererDir: dir,
      token: 'a'.repeat(32),
    });
  });

  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const base = () => `http://127.0.0.1:${server.port}`;

  it('prints a loopback URL with the token', () => {
    expect(server.url).toBe(`${base()}/?token=${'a'.repeat(32)}`);
  });

  it('refuses requests without the token (401) and serves with it, setting an HttpOnly cookie', async () => {
    expect((await fetch(`${base()}/`)).status).toBe(401);
    expect((await fetch(`${base()}/api/tasks:list`, { method: 'POST' })).status).toBe(401);
    const ok = await fetch(server.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('validates operation input and reports bad JSON', async () => {
    const post = (op: string, body: string) =>
      fetch(`${base()}/api/${op}`, { method: 'POST', headers: { 'x-taskdeck-token': server.token }, body });
    expect(await (await post('tasks:list', '{}')).json()).toEqual({ ok: true, value: [] });
    const bad = await post('tasks:list', '{"x":1}');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const notJson = await post('tasks:list', '{');
    expect(await notJson.json()).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('not valid JSON') },
    });
    expect((await post('nope:op', '{}')).status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: `/?token=${server.token}`,
          headers: { Host: 'evil.example:80' },
        },
        (res) => resolve(res.statusCode ?? 0),
      );
      req.end();
    });
    expect(status).toBe(403);
  });
});
