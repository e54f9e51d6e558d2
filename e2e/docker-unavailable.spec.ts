/** With Docker unreachable the app still starts, says how to fix it, and Retry reconnects. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { startServer } from './fixtures/server.js';

test('unreachable Docker: clear screen with a hint, library still usable, Retry after fixing settings', async ({
  page,
}) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'taskdeck-e2e-'));
  // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
  const server = await startServer(dataDir, {
    env: { DOCKER_HOST: 'tcp://127.0.0.1:9' },
    waitForDocker: false,
  });
  try {
    await page.goto(`${server.url}#/tasks`);
    const screen = page.getByTestId('docker-unavailable');
    await expect(screen).toBeVisible();
    await expect(screen).toContainText('tcp://127.0.0.1:9');
    await expect(screen.getByTestId('docker-retry')).toBeEnabled();
    await expect(page.getByTestId('docker-status')).toHaveAttribute('data-state', 'disconnected');
    for (const theme of ['light', 'dark']) {
      if ((await page.locator('html').getAttribute('data-theme')) !== theme)
        await page.getByTestId('theme-toggle').click();
      await page.screenshot({ path: `e2e/screenshots/docker-unavailable-${theme}.png` });
    }

    // The library works without Docker (with a banner).
    await page
      .getByRole('link', { name: /Definitions/ })
      .first()
      .click();
    await expect(page.getByTestId('docker-banner')).toBeVisible();

    // Point Settings at the real socket: the app reconnects by itself.
    await page
      .getByRole('link', { name: /Settings/ })
      .first()
      .click();
    await page.getByLabel('Endpoint override').fill('unix:///var/run/docker.sock');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByTestId('docker-status')).toHaveAttribute('data-state', 'connected');

    // Bad settings input is rejected with the field named.
    await page.getByLabel('Endpoint override').fill('ftp://nope');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByTestId('settings-page').getByRole('alert')).toContainText(
      'dockerEndpoint: must be empty',
    );
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('calls and the push socket need the token header or subprotocol; the page itself is public', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'taskdeck-e2e-'));
  const server = await startServer(dataDir);
  try {
    const json = { 'content-type': 'application/json' };
    // The page holds nothing secret; what it can do needs the token.
    expect((await fetch(`${server.origin}/`)).status).toBe(200);
    const call = (path: string, headers: Record<string, string>) =>
      fetch(`${server.origin}${path}`, { method: 'POST', headers, body: '{}' }).then((r) => r.status);
    expect(await call('/api/tasks:list', json)).toBe(401);
    expect(await call(`/api/tasks:list?token=${server.token}`, json)).toBe(401);
    expect(await call('/api/tasks:list', { ...json, cookie: `taskdeck_token_1=${server.token}` })).toBe(401);
    expect(await call('/api/tasks:list', { ...json, 'x-taskdeck-token': server.token })).toBe(200);
    const wsStatus = (url: string, protocols: string[] = []) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, protocols);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => undefined);
      });
    const wsUrl = server.origin.replace('http:', 'ws:') + '/ws';
    expect(await wsStatus(wsUrl)).toBe(401);
    expect(await wsStatus(`${wsUrl}?token=${server.token}`)).toBe(401);
    expect(await wsStatus(wsUrl, ['taskdeck.v1', `taskdeck.token.${server.token}`])).toBe(101);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
