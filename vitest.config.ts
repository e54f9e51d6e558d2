import { defineConfig } from 'vitest/config';

/**
 * Issue 11's fault matrix on the shared daemon (without touching its lifecycle) or the fake Docker
 * client: they run under `npm run test:faults` with the private-dockerd fault files, not in the
 * unit and integration projects. README "Faults survived" maps each issue item to its tests.
 */
const FAULT_MATRIX_SHARED_DOCKER = [
  'main/engine/stopping.integration.test.ts',
  'main/engine/log-readopt.integration.test.ts',
  'main/cli/gc-command.integration.test.ts',
  'main/launch/readoption-helpers.integration.test.ts',
  'main/engine/persist-failure.integration.test.ts',
  'main/engine/lost-record.integration.test.ts',
];
const FAULT_MATRIX_FAKE_CLIENT = [
  'main/engine/engine-on-fake-docker.test.ts',
  'main/engine/orphans.test.ts',
  'main/store/damaged-data.test.ts',
  'main/store/log-read-bounded.test.ts',
  'main/web/web-backpressure.test.ts',
];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{main,contract,preload,renderer,bench}/**/*.test.{ts,tsx}'],
          exclude: [
            '**/*.integration.test.ts',
            '**/*.fault.test.ts',
            'node_modules/**',
            ...FAULT_MATRIX_FAKE_CLIENT,
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{main,bench}/**/*.integration.test.ts'],
          exclude: ['node_modules/**', ...FAULT_MATRIX_SHARED_DOCKER],
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
        // private dockerd (main/test-support/second-dockerd.ts); never the shared daemon's lifecycle.
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
      {
        // The rest of the fault matrix: stops, crashes, orphans, damaged data, slow clients.
        test: {
          name: 'faults-shared',
          include: [...FAULT_MATRIX_SHARED_DOCKER, ...FAULT_MATRIX_FAKE_CLIENT],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['main/test-support/require-docker.ts'],
          env: { TASKDECK_HELPER_IMAGE: 'taskdeck-test/busybox:latest' },
          maxWorkers: 2,
        },
      },
    ],
  },
});
