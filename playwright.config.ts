import { defineConfig } from '@playwright/test';

/**
 * e2e: real `taskdeck web` (built out/), real engine, real Docker, Debian's Chromium.
 * Build first: `npx electron-vite build`. Never run `npx playwright install` here.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  // One worker: Docker-heavy specs on a small machine.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  globalTeardown: './e2e/global-teardown.ts',
  use: {
    browserName: 'chromium',
    viewport: { width: 1360, height: 860 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
