/**
 * Web mode's guard: the token never leaves this origin, no other local page can act through the
 * user's browser, the printed link carries only a single-use code, and bad requests get clear
 * answers. Everything runs against the real `taskdeck web` in Chromium.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startAttackerSite } from './fixtures/attacker-site.js';
import { startServer } from './fixtures/server.js';
import { expect, test } from './fixtures/test.js';

const defs = (name: string) => resolve(import.meta.dirname, 'definitions', name);

test('a page on another local port can neither read the token nor change settings, library or tasks', async ({
  app,
  server,
  page,
}) => {
  const imported = await server.call<{ id: string }>('definitions:import', {
    text: readFileSync(defs('hello-once.json'), 'utf8'),
    fileName: 'hello-once.json',
  });
  const before = {
    settings: await server.call('settings:get'),
    library: await server.call<{ id: string }[]>('definitions:list'),
  };
  // The user has the app open in one tab…
  await page.reload();
  await app.goTo('Definitions');
  await expect(app.definitions.item('e2e-hello-once')).toBeVisible();

  // …and visits a hostile page on another 127.0.0.1 port in the same browser.
  const attacker = await startAttackerSite({ target: server.origin, definitionId: imported.id });
  try {
    const tab = await page.context().newPage();
    await tab.goto(attacker.origin);
    const report = await attacker.report;
    await tab.close();

    expect(report.sent).toBeGreaterThanOrEqual(12);
    // Nothing Taskdeck answered was readable, and no cookie carried the token to the other port.
    expect(report.reads).toEqual([]);
    expect(report.documentCookie).not.toContain(server.token);
    for (const cookie of attacker.cookies) {
      expect(cookie).not.toContain(server.token);
      expect(cookie).not.toContain('taskdeck');
    }
    expect(report.webSocket).not.toContain('open');
    expect(report.webSocket.filter((w) => w.startsWith('message:'))).toEqual([]);
    expect(attacker.daemonCalls).toEqual([]);
  } finally {
    await attacker.close();
  }

  // Nothing changed: same settings, same library, no task.
  expect(await server.call('settings:get')).toEqual(before.settings);
  expect(await server.call('definitions:list')).toEqual(before.library);
  expect(await server.call('tasks:list')).toEqual([]);
  // And the user's own tab still works.
  await app.goTo('Settings');
  await expect(page.getByTestId('settings-page')).toBeVisible();
});

test('the printed link holds a single-use code: the address bar drops it, reload keeps the session, reuse is refused', async ({
  page,
  server,
}) => {
  const printed = new URL(server.url);
  expect(printed.searchParams.has('token')).toBe(false);
  expect(printed.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  expect(server.output()).not.toContain(server.token);

  await page.goto(`${server.url}#/settings`);
  await expect(page.getByTestId('docker-status')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('settings-page')).toBeVisible();
  expect(page.url()).toBe(`${server.origin}/#/settings`);
  expect(await page.evaluate(() => document.cookie)).toBe('');
  expect((await page.context().cookies()).map((c) => c.name)).toEqual([]);

  // Reload: the token is in this tab's sessionStorage, the app keeps working.
  await page.reload();
  await expect(page.getByTestId('docker-status')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('settings-page')).toBeVisible();
  await page
    .getByRole('link', { name: /Definitions/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Add an example definition' }).click();
  await expect(page.getByTestId('definition-item')).toHaveCount(1);

  // The same link in a fresh tab: the code is spent, so no session.
  const other = await page.context().newPage();
  await other.goto(server.url);
  await expect(other.getByText(/already used or has expired/)).toBeVisible();
  expect(other.url()).toBe(`${server.origin}/`);
  await other.close();
});

test('the browser opener is handed only the single-use code, never the token', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'taskdeck-e2e-'));
  const bin = mkdtempSync(join(tmpdir(), 'taskdeck-e2e-opener-'));
  const log = join(bin, 'argv.txt');
  // A stand-in `xdg-open` that records its arguments (what `ps` would show every local user).
  writeFileSync(
    join(bin, 'xdg-open'),
    `#!/bin/sh\nenv > "${log}.env"\nprintf '%s\\n' "$@" > "${log}.tmp" && mv "${log}.tmp" "${log}"\n`,
  );
  chmodSync(join(bin, 'xdg-open'), 0o755);
  const server = await startServer(dataDir, {
    open: true,
    env: { PATH: `${bin}:${process.env['PATH'] ?? ''}` },
  });
  try {
    await expect.poll(() => existsSync(log), { timeout: 20_000 }).toBe(true);
    const argv = readFileSync(log, 'utf8').trim();
    expect(argv).not.toContain(server.token);
    expect(argv).not.toContain('token');
    expect(argv).toMatch(new RegExp(`^${server.origin}/\\?code=[A-Za-z0-9_-]{16,}$`));
    // Nor does the token reach the opener (and the browser it starts) through the environment.
    expect(readFileSync(`${log}.env`, 'utf8')).not.toContain(server.token);

    // What the opener got is a working link.
    await page.goto(argv);
    await expect(page.getByTestId('docker-status')).toHaveAttribute('data-state', 'connected');
    expect(page.url()).toBe(`${server.origin}/`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(bin, { recursive: true, force: true });
  }
});

test('a malformed escape gets 400 and an oversized body 413, as JSON, without a stack in the log', async ({
  app,
  server,
}) => {
  const results = await app.page.evaluate(async (token) => {
    const post = async (path: string, body: string) => {
      try {
        const res = await fetch(path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Taskdeck-Token': token },
          body,
        });
        return { status: res.status, body: await res.text() };
      } catch (err) {
        return { status: 0, body: String(err) };
      }
    };
    return {
      malformed: await post('/api/tasks%E0%A4%A:list', '{}'),
      oversized: await post(
        '/api/definitions:validate',
        JSON.stringify({ text: 'x'.repeat(3 * 1024 * 1024) }),
      ),
      after: await post('/api/tasks:list', '{}'),
    };
  }, server.token);

  expect(results.malformed.status).toBe(400);
  expect(JSON.parse(results.malformed.body)).toMatchObject({
    ok: false,
    error: { code: 'BAD_REQUEST', message: expect.stringContaining('%') },
  });
  expect(results.oversized.status).toBe(413);
  expect(JSON.parse(results.oversized.body)).toMatchObject({
    ok: false,
    error: { code: 'BAD_REQUEST', message: expect.stringContaining('too large') },
  });
  // The server is still fine and logged no stack.
  expect(JSON.parse(results.after.body)).toEqual({ ok: true, value: [] });
  expect(server.output()).not.toMatch(/URIError|web request failed|\n\s+at /);
});
