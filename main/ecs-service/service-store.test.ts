import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { container, taskDef } from '../test-support/task-def-builders.js';
import { ServiceStore, type ServiceRecord } from './service-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskdeck-svc-store-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const record = (name: string, version: number): ServiceRecord => ({
  input: {
    service: {
      serviceName: name,
      taskDefinitionRef: 'web:1',
      taskDefinition: taskDef('web', [container('app')]),
      desiredCount: 1,
      loadBalancers: [],
      healthCheckGracePeriodSeconds: 0,
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      circuitBreaker: { enable: false, rollback: false },
      enableExecuteCommand: false,
    },
    targetGroups: [],
  },
  createdAt: '2026-01-01T00:00:00Z',
  desiredCount: 1,
  deployments: [],
  tasks: [],
  milestones: {},
  events: [],
  throttle: { consecutiveFailures: 0, nextStartAt: 0, impairedReported: false },
  steady: false,
  deleting: false,
  version,
});

describe('ServiceStore', () => {
  it('saves privately, newest write last, and loads it back', async () => {
    const store = new ServiceStore(dir);
    const r = record('web', 1);
    const first = store.save(r);
    r.version = 2;
    await Promise.all([first, store.save(r)]);
    const [loaded] = await new ServiceStore(dir).loadAll();
    expect(loaded?.version).toBe(2);
    expect((await stat(join(dir, 'services', 'web.json'))).mode & 0o077).toBe(0);
  });

  it('keeps a damaged file aside and loads the others', async () => {
    await new ServiceStore(dir).save(record('good', 1));
    await mkdir(join(dir, 'services'), { recursive: true });
    await writeFile(join(dir, 'services', 'bad.json'), '{"input": ');
    const loaded = await new ServiceStore(dir).loadAll();
    expect(loaded.map((r) => r.input.service.serviceName)).toEqual(['good']);
    expect((await readdir(join(dir, 'services'))).some((f) => f.startsWith('bad.json.corrupt-'))).toBe(true);
  });

  it('removes a record', async () => {
    const store = new ServiceStore(dir);
    await store.save(record('web', 1));
    await store.remove('web');
    expect(await store.loadAll()).toEqual([]);
  });
});
