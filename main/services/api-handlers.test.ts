import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskDetail } from '../../contract/dto.js';
import type { ApiHandlers } from '../../contract/operations.js';
import type { RunTaskInput, TaskEngineApi } from '../engine/engine-api.js';
import type { ParseResult, TaskDefinition } from '../task-definition/model.js';
import { createApiHandlers } from './api-handlers.js';
import { createDefinitionsLibrary, type ParseDefinition } from './definitions-library.js';
import { dispatchOperation } from './dispatch.js';
import { createDockerSession, type DockerSession } from './docker-session.js';
import { createLaunchRecords } from './launch-records.js';
import { createSettingsStore } from './settings-store.js';
import { container } from '../test-support/task-def-builders.js';

// Compile-time: a handler map missing an operation does not type-check.
// @ts-expect-error — 'tasks:run' and the others are missing
const _incomplete: ApiHandlers = {
  'app:info': async () => ({ version: '', mode: 'web', dataDir: '', restartRequired: false }),
};
void _incomplete;

/** A tiny parser double: `{family, containers:[names]}` or an error at `family`. */
const parse: ParseDefinition = (text): ParseResult => {
  let doc: { family?: unknown; containers?: string[]; privileged?: boolean };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch (err) {
    return {
      ok: false,
      errors: [{ path: '', message: (err as Error).message, line: 1, column: 1 }],
      warnings: [],
    };
  }
  if (typeof doc.family !== 'string')
    return { ok: false, errors: [{ path: 'family', message: 'family is required' }], warnings: [] };
  const def = {
    family: doc.family,
    revision: 1,
    networkMode: 'bridge',
    containerDefinitions: (doc.containers ?? ['app']).map((name) =>
      container(name, { image: 'busybox', ...(doc.privileged ? { privileged: true } : {}) }),
    ),
    volumes: [],
    requiresCompatibilities: [],
  } satisfies TaskDefinition;
  return { ok: true, taskDefinition: def, warnings: [] };
};

/** Engine double: records runs, returns minimal tasks. */
function fakeEngine() {
  const runs: RunTaskInput[] = [];
  const tasks = new Map<string, TaskDetail>();
  const engine: TaskEngineApi = {
    taskDefinitionOf: () => undefined,
    async runTask(input) {
      runs.push(input);
      const taskId = `t${runs.length}`;
      const task = {
        taskId,
        taskArn: `arn:aws:ecs:us-east-1:000000000000:task/default/${taskId}`,
        family: input.taskDefinition.family,
        lastStatus: 'PROVISIONING',
        createdAt: new Date(runs.length * 1000).toISOString(),
        version: 1,
        containers: input.taskDefinition.containerDefinitions.map((c) => ({ name: c.name })),
        ...(input.definitionId ? { definitionId: input.definitionId } : {}),
      } as unknown as TaskDetail;
      tasks.set(taskId, task);
      return task;
    },
    async stopTask(taskId, reason) {
      const task = {
        ...tasks.get(taskId),
        desiredStatus: 'STOPPED',
        stoppedReason: reason ?? 'Task stopped by user',
      } as TaskDetail;
      tasks.set(taskId, task);
      return task;
    },
    waitForStopped: async (id) => tasks.get(id) as TaskDetail,
    describeTask: (id) => tasks.get(id),
    listTasks: () => [...tasks.values()],
    events: async () => [],
    logs: async () => [],
    healthProbes: () => ({}),
    resources: async (taskId) => ({ taskId, sharedNetwork: false, containers: [] }),
    stopAll: async () => undefined,
    on: () => () => undefined,
    close: async () => undefined,
  };
  return { engine, runs };
}

describe('createApiHandlers via dispatchOperation', () => {
  let dir: string;
  let handlers: ApiHandlers;
  let runs: RunTaskInput[];
  let docker: DockerSession;
  let connectable = true;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'taskdeck-handlers-'));
    const settings = await createSettingsStore(dir);
    const fake = fakeEngine();
    runs = fake.runs;
    connectable = true;
    docker = createDockerSession<object>({
      connect: async () => {
        if (!connectable) throw Object.assign(new Error('connect ECONNREFUSED'), { hint: 'Start Docker.' });
        return { docker: {}, endpoint: 'unix:///fake.sock', source: 'default' };
      },
      createEngine: async () => fake.engine,
      settings: () => settings.get(),
      onStatus: () => undefined,
      onEngine: () => undefined,
    });
    await docker.retry();
    handlers = createApiHandlers({
      library: await createDefinitionsLibrary(join(dir, 'definitions'), parse),
      settings,
      launches: await createLaunchRecords(dir),
      docker,
      info: () => ({ version: 'test', mode: 'web', dataDir: dir, restartRequired: false }),
    });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const call = (op: string, input: unknown) => dispatchOperation(handlers, op, input);
  const importDef = async (text = '{"family":"web","containers":["app","db"]}') => {
    const r = await call('definitions:import', { text });
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as { id: string }).id;
  };

  it('rejects an unknown operation', async () => {
    expect(await call('tasks:explode', {})).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_OPERATION', message: 'Unknown operation "tasks:explode"' },
    });
  });

  it('rejects a missing required field, naming it', async () => {
    const r = await call('tasks:run', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', path: 'definitionId' } });
    expect(!r.ok && r.error.message).toMatch(/^Invalid input for tasks:run: definitionId: /);
  });

  it('rejects count outside 1–10', async () => {
    const r = await call('tasks:run', { definitionId: 'def-1', count: 11 });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        message: 'Invalid input for tasks:run: count: must be at most 10',
        path: 'count',
        issues: [{ path: 'count', message: 'must be at most 10' }],
      },
    });
    expect(await call('tasks:run', { definitionId: 'def-1', count: 1.5 })).toMatchObject({
      ok: false,
      error: { path: 'count', message: expect.stringContaining('whole number') },
    });
  });

  it('rejects bad overrides at their nested path', async () => {
    const r = await call('tasks:run', {
      definitionId: 'def-1',
      overrides: { containerOverrides: [{ name: 'app', memory: 3 }] },
    });
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        path: 'overrides.containerOverrides[0].memory',
        message: expect.stringContaining('at least 6 MiB'),
      },
    });
  });

  it('rejects unknown keys (strict schemas) and wrong types', async () => {
    expect(await call('tasks:stop', { taskId: 't1', force: true })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('force') },
    });
    expect(await call('tasks:stop', { taskId: 42 })).toMatchObject({ ok: false, error: { path: 'taskId' } });
    expect(await call('definitions:get', { id: '../../etc/passwd' })).toMatchObject({
      ok: false,
      error: { path: 'id', message: expect.stringContaining('letters, digits') },
    });
    expect(await call('tasks:list', 'nope')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('rejects a bad settings value, naming the field', async () => {
    expect(await call('settings:update', { dockerEndpoint: 'ftp://x' })).toMatchObject({
      ok: false,
      error: { path: 'dockerEndpoint', message: expect.stringContaining('unix://') },
    });
    expect(await call('settings:update', { defaultPullBehavior: 'sometimes' })).toMatchObject({
      ok: false,
      error: { path: 'defaultPullBehavior' },
    });
    expect(await call('settings:update', { dataDir: 'relative/dir' })).toMatchObject({
      ok: false,
      error: { path: 'dataDir', message: expect.stringContaining('absolute') },
    });
  });

  it('persists settings', async () => {
    const r = await call('settings:update', { defaultPullBehavior: 'prefer-cached', theme: 'dark' });
    expect(r).toMatchObject({ ok: true, value: { defaultPullBehavior: 'prefer-cached', theme: 'dark' } });
    const again = await createSettingsStore(dir);
    expect(again.get()).toMatchObject({ defaultPullBehavior: 'prefer-cached', theme: 'dark', dataDir: dir });
  });

  it('NOT_FOUND for an unknown definition or task', async () => {
    expect(await call('definitions:get', { id: 'def-nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', path: 'id' },
    });
    expect(await call('tasks:stop', { taskId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('keeps invalid definitions, but refuses to launch them', async () => {
    const id = await importDef('{"nofamily":true}');
    expect(await call('definitions:get', { id })).toMatchObject({
      ok: true,
      value: { valid: false, errors: [{ path: 'family' }] },
    });
    expect(await call('tasks:run', { definitionId: id })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_DEFINITION',
        path: 'family',
        message: expect.stringContaining('family is required'),
      },
    });
  });

  it('refuses an override for a container the definition does not have', async () => {
    const id = await importDef();
    expect(
      await call('tasks:run', {
        definitionId: id,
        overrides: { containerOverrides: [{ name: 'ghost', cpu: 1 }] },
      }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        path: 'overrides.containerOverrides[0].name',
        message: expect.stringContaining('app, db'),
      },
    });
  });

  it('runs count tasks with the default pull behaviour, and re-runs with the recorded overrides', async () => {
    const id = await importDef();
    const overrides = { containerOverrides: [{ name: 'app', command: ['echo', 'hi'] }] };
    const r = await call('tasks:run', { definitionId: id, count: 2, overrides });
    expect(r).toMatchObject({ ok: true });
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ definitionId: id, pullBehavior: 'default', overrides });
    expect(await call('tasks:launchRecord', { taskId: 't1' })).toMatchObject({
      ok: true,
      value: { definitionId: id, overrides },
    });

    expect(
      await call('tasks:rerun', { taskId: 'arn:aws:ecs:us-east-1:000000000000:task/default/t1' }),
    ).toMatchObject({ ok: true });
    expect(runs[2]).toMatchObject({ definitionId: id, overrides });
    await call('tasks:rerun', { taskId: 't1', overrides: {}, pullBehavior: 'always' });
    expect(runs[3]?.overrides).toBeUndefined();
    expect(runs[3]?.pullBehavior).toBe('always');
  });

  it('answers DOCKER_UNAVAILABLE when Docker is down, and lists no tasks', async () => {
    connectable = false;
    const status = await docker.retry();
    expect(status).toMatchObject({ connected: false, error: 'connect ECONNREFUSED', hint: 'Start Docker.' });
    const id = await importDef();
    expect(await call('tasks:run', { definitionId: id })).toMatchObject({
      ok: false,
      error: { code: 'DOCKER_UNAVAILABLE', message: expect.stringContaining('ECONNREFUSED') },
    });
    expect(await call('tasks:list', {})).toEqual({ ok: true, value: [] });
    expect(await call('docker:status', {})).toMatchObject({ ok: true, value: { connected: false } });
  });

  it('tasks:endpoints and tasks:definition reject bad input and unknown tasks or containers', async () => {
    expect(await call('tasks:endpoints', { taskId: 't1' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', path: 'container' },
    });
    expect(await call('tasks:endpoints', { taskId: 't1', container: '../etc' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', path: 'container', message: expect.stringContaining('container name') },
    });
    expect(await call('tasks:endpoints', { taskId: 't1', container: 'app', extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.stringContaining('extra') },
    });
    expect(await call('tasks:endpoints', { taskId: 'nope', container: 'app' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', path: 'taskId' },
    });
    expect(await call('tasks:definition', { taskId: 'a b' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', path: 'taskId' },
    });
    expect(await call('tasks:definition', {})).toMatchObject({ ok: false, error: { path: 'taskId' } });

    const id = await importDef();
    await call('tasks:run', { definitionId: id });
    expect(await call('tasks:endpoints', { taskId: 't1', container: 'ghost' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', path: 'container', message: expect.stringContaining('app, db') },
    });
    // The fake engine has no endpoints server: the view says why instead of failing.
    expect(await call('tasks:endpoints', { taskId: 't1', container: 'db' })).toMatchObject({
      ok: true,
      value: { container: 'db', unavailable: expect.any(String) },
    });
    // The fake engine forgot the definition: null, not an error.
    expect(await call('tasks:definition', { taskId: 't1' })).toEqual({ ok: true, value: null });
  });

  it('rejects a log query outside its bounds', async () => {
    expect(await call('tasks:logs', { taskId: 't1', limit: 0 })).toMatchObject({
      ok: false,
      error: { path: 'limit' },
    });
    expect(await call('tasks:logs', { taskId: 't1', limit: 200_001 })).toMatchObject({
      ok: false,
      error: { path: 'limit' },
    });
  });

  it('publishes ports on 127.0.0.1 unless the exposePorts setting is on (defaults off)', async () => {
    const id = await importDef();
    expect(await call('settings:get', {})).toMatchObject({
      ok: true,
      value: { exposePorts: false, allowEnvFilesOutsideFolder: false },
    });
    await call('tasks:run', { definitionId: id });
    expect(runs[0]?.publishAddress).toBe('127.0.0.1');
    expect(await call('settings:update', { exposePorts: true })).toMatchObject({
      ok: true,
      value: { exposePorts: true },
    });
    await call('tasks:run', { definitionId: id });
    expect(runs[1]?.publishAddress).toBe('0.0.0.0');
  });

  it('lets library definitions read env files outside a folder only when the setting allows it', async () => {
    const id = await importDef();
    await call('tasks:run', { definitionId: id });
    expect(runs[0]?.environmentFileScope).toEqual({ allowOutside: false });
    await call('settings:update', { allowEnvFilesOutsideFolder: true });
    await call('tasks:run', { definitionId: id });
    expect(runs[1]?.environmentFileScope).toEqual({ allowOutside: true });
  });

  it('refuses to launch or re-run a host-access definition unless the request confirms it', async () => {
    const id = await importDef('{"family":"root","containers":["app"],"privileged":true}');
    expect(await call('definitions:get', { id })).toMatchObject({
      ok: true,
      value: {
        definition: { hostAccess: [{ path: 'containerDefinitions[0].privileged', setting: 'privileged' }] },
      },
    });
    expect(await call('tasks:run', { definitionId: id })).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_REQUEST',
        path: 'allowHostAccess',
        message: expect.stringContaining('privileged'),
        issues: [
          { path: 'containerDefinitions[0].privileged', message: expect.stringContaining('privileged') },
        ],
      },
    });
    expect(await call('tasks:run', { definitionId: id, allowHostAccess: false })).toMatchObject({
      ok: false,
    });
    expect(runs).toHaveLength(0);
    expect(await call('tasks:run', { definitionId: id, allowHostAccess: true })).toMatchObject({ ok: true });
    expect(runs).toHaveLength(1);
    expect(await call('tasks:rerun', { taskId: 't1' })).toMatchObject({
      ok: false,
      error: { path: 'allowHostAccess' },
    });
    expect(await call('tasks:rerun', { taskId: 't1', allowHostAccess: true })).toMatchObject({ ok: true });
    expect(runs).toHaveLength(2);
  });
});
