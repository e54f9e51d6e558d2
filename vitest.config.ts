import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{main,contract,preload,renderer,bench}/**/*.test.{ts,tsx}'],
          exclude: ['**/*.integration.test.ts', 'node_modules/**'],
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
    ],
  },
});
