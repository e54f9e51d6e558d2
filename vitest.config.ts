import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{main,contract,preload,renderer,bench}/**/*.test.{ts,tsx}'],
          exclude: ['**/*.integration.test.ts', '**/*.fault.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{main,bench}/**/*.integration.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['main/test-support/require-docker.ts'],
          // Pause containers and 169.254.170.2 helpers use the locally built BusyBox image.
          env: { TASKDECK_HELPER_IMAGE: 'taskdeck-test/busybox:latest' },
          // Two cores: keep docker-heavy files from starving each other.
          maxWorkers: 2,
        },
      },
      {
        // Issue 11's fault matrix: Docker outages, disk faults, crashes. Each file starts its own
        // private dockerd (main/test-support/second-dockerd.ts) or uses the fake Docker client;
        // never the shared daemon's lifecycle.
        test: {
          name: 'faults',
          include: ['main/**/*.fault.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 180_000,
          globalSetup: ['main/test-support/require-docker.ts'],
          env: { TASKDECK_HELPER_IMAGE: 'taskdeck-test/busybox:latest' },
          // Each file runs a dockerd of its own: one at a time on two cores.
          maxWorkers: 1,
        },
      },
    ],
  },
});
