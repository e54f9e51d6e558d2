/** Semantics §10 on real Docker: the EventBridge event shape and versioning, and logs (live, kept, across restarts). */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LogLine, TaskDetail, TaskStateChangeEvent } from '../../contract/dto.js';
import {
  byName,
  container,
  FOREVER,
  leftovers,
  NOTHING_LEFT,
  sh,
  startEngine,
  taskDef,
  waitFor,
  type EngineHarness,
} from '../test-support/engine-fixture.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const TOP_KEYS = [
  'account',
  'detail',
  'detail-type',
  'id',
  'region',
  'resources',
  'source',
  'time',
  'version',
];
const DETAIL_ALWAYS = [
  'taskArn',
  'clusterArn',
  'taskDefinitionArn',
  'lastStatus',
  'desiredStatus',
  'launchType',
  'group',
  'attachments',
  'containers',
  'createdAt',
  'version',
];
const DETAIL_ALLOWED = new Set([
  ...DETAIL_ALWAYS,
  'cpu',
  'memory',
  'healthStatus',
  'pullStartedAt',
  'pullStoppedAt',
  'startedAt',
  'stoppingAt',
  'executionStoppedAt',
  'stoppedAt',
  'stopCode',
  'stoppedReason',
]);
const CONTAINER_ALWAYS = [
  'containerArn',
  'name',
  'image',
  'lastStatus',
  'healthStatus',
  'networkBindings',
  'networkInterfaces',
];
const CONTAINER_ALLOWED = new Set([
  ...CONTAINER_ALWAYS,
  'taskArn',
  'imageDigest',
  'runtimeId',
  'exitCode',
  'reason',
  'cpu',
  'memory',
]);

/** What makes two events different in substance (an event must never repeat the previous one). */
const substance = (e: TaskStateChangeEvent) =>
  JSON.stringify([
    e.detail.lastStatus,
    e.detail.desiredStatus,
    e.detail.healthStatus,
    e.detail.stopCode,
    e.detail.attachments,
    e.detail.containers.map((c) => [
      c.lastStatus,
      c.exitCode,
      c.reason,
      c.healthStatus,
      c.runtimeId,
      c.imageDigest,
      c.networkBindings,
    ]),
  ]);

describe('event shape on a configured region, account and cluster', () => {
  let hc: EngineHarness;
  let done: TaskDetail;
  let events: readonly TaskStateChangeEvent[];
  beforeAll(async () => {
    hc = await startEngine({ region: 'eu-west-1', account: '123456789012', cluster: 'dev' });
    const t = await hc.engine.runTask({
      taskDefinition: taskDef(
        'ev-shape',
        [
          container('app', {
            ...sh(FOREVER),
            stopTimeout: 2,
            healthCheck: {
              command: ['CMD-SHELL', 'true'],
              interval: 1,
              timeout: 2,
              retries: 1,
              startPeriod: 0,
            },
          }),
        ],
        { cpu: 256, memory: 512 },
      ),
    });
    await waitFor(hc.engine, t.taskId, (x) => x.healthStatus === 'HEALTHY');
    await hc.engine.stopTask(t.taskId, 'shape test');
    done = await hc.engine.waitForStopped(t.taskId);
    expect(await leftovers(hc.docker, t.taskId)).toEqual(NOTHING_LEFT);
    events = await hc.engine.events(t.taskId);
  });
  afterAll(async () => hc?.close());

  test('ARNs follow the configured region, account and cluster', () => {
    expect(done.taskArn).toBe(`arn:aws:ecs:eu-west-1:123456789012:task/dev/${done.taskId}`);
    expect(done.clusterArn).toBe('arn:aws:ecs:eu-west-1:123456789012:cluster/dev');
    expect(done.taskDefinitionArn).toBe('arn:aws:ecs:eu-west-1:123456789012:task-definition/ev-shape:1');
    expect(byName(done, 'app').containerArn).toBe(
      `arn:aws:ecs:eu-west-1:123456789012:container/dev/${done.taskId}/app`,
    );
  });

  test('envelope: version "0", detail-type, source, account, region, resources [taskArn], id, time', () => {
    expect(events.length).toBeGreaterThan(4);
    for (const e of events) {
      expect(Object.keys(e).sort()).toEqual(TOP_KEYS);
      expect(e.version).toBe('0');
      expect(e['detail-type']).toBe('ECS Task State Change');
      expect(e.source).toBe('aws.ecs');
      expect(e.account).toBe('123456789012');
      expect(e.region).toBe('eu-west-1');
      expect(e.resources).toEqual([done.taskArn]);
      expect(e.id).toMatch(UUID);
      expect(e.time).toMatch(ISO);
    }
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const times = events.map((e) => Date.parse(e.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  test('detail: the documented keys, nothing else; task size as API strings', () => {
    for (const e of events) {
      const keys = Object.keys(e.detail);
      for (const k of DETAIL_ALWAYS) expect(keys).toContain(k);
      for (const k of keys) expect(DETAIL_ALLOWED.has(k), `unexpected detail key ${k}`).toBe(true);
      expect(e.detail.taskArn).toBe(done.taskArn);
      expect(e.detail.clusterArn).toBe(done.clusterArn);
      expect(e.detail.taskDefinitionArn).toBe(done.taskDefinitionArn);
      expect(e.detail.launchType).toBe('EC2');
      expect(e.detail.group).toBe('family:ev-shape');
      expect(e.detail.cpu).toBe('256');
      expect(e.detail.memory).toBe('512');
      for (const c of e.detail.containers) {
        const ck = Object.keys(c);
        for (const k of CONTAINER_ALWAYS) expect(ck).toContain(k);
        for (const k of ck) expect(CONTAINER_ALLOWED.has(k), `unexpected container key ${k}`).toBe(true);
        expect(c.containerArn).toBe(byName(done, 'app').containerArn);
      }
    }
    const last = events.at(-1)!.detail;
    for (const k of [
      'pullStartedAt',
      'pullStoppedAt',
      'startedAt',
      'stoppingAt',
      'stoppedAt',
      'stopCode',
      'stoppedReason',
    ] as const) {
      expect(last[k], k).toBeDefined();
    }
    expect(last.stopCode).toBe('UserInitiated');
    expect(last.stoppedReason).toBe('shape test');
    expect(last.containers[0]!.runtimeId).toBe(byName(done, 'app').runtimeId);
    expect(last.containers[0]!.exitCode).toBe(143);
  });

  test('stopCode and stoppedReason appear only once the stop was requested', () => {
    for (const e of events.filter((x) => x.detail.desiredStatus === 'RUNNING')) {
      expect(e.detail.stopCode).toBeUndefined();
      expect(e.detail.stoppedReason).toBeUndefined();
      expect(e.detail.stoppedAt).toBeUndefined();
    }
  });

  test('detail.version starts at 1 and increases by exactly one per event', () => {
    expect(events.map((e) => e.detail.version)).toEqual(events.map((_, i) => i + 1));
  });

  test('no event repeats the previous one; the live stream equals the stored one', () => {
    for (let i = 1; i < events.length; i++) expect(substance(events[i]!)).not.toBe(substance(events[i - 1]!));
    expect(hc.events.filter((e) => e.detail.taskArn === done.taskArn)).toEqual(events);
  });

  test('a health change alone emits an event', () => {
    const i = events.findIndex((e) => e.detail.containers[0]!.healthStatus === 'HEALTHY');
    expect(i).toBeGreaterThan(0);
    const before = events[i - 1]!.detail;
    const after = events[i]!.detail;
    expect(before.containers[0]!.healthStatus).toBe('UNKNOWN');
    expect(after.healthStatus).toBe('HEALTHY');
    expect([before.lastStatus, before.desiredStatus]).toEqual(['RUNNING', 'RUNNING']);
    expect([after.lastStatus, after.desiredStatus]).toEqual(['RUNNING', 'RUNNING']);
  });
});

describe('logs', () => {
  let h: EngineHarness;
  beforeAll(async () => {
    h = await startEngine();
  });
  afterAll(async () => h?.close());

  test('stdout and stderr apart, with timestamps and per-task sequence numbers; live lines equal stored ones', async () => {
    const live: LogLine[] = [];
    const off = h.engine.on('logs', (lines) => live.push(...lines));
    const t = await h.engine.runTask({
      taskDefinition: taskDef('ev-logs', [
        container('app', {
          ...sh('echo out1; echo err1 >&2; echo out2; echo err2 >&2; printf "no newline"'),
          logConfiguration: {
            logDriver: 'awslogs',
            options: { 'awslogs-stream-prefix': 'web', 'awslogs-group': '/ecs/ev' },
          },
        }),
        container('side', { essential: false, ...sh(`echo side-out; ${FOREVER}`), stopTimeout: 2 }),
      ]),
    });
    const done = await h.engine.waitForStopped(t.taskId);
    off();
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
    expect(byName(done, 'app').logStreamName).toBe(`web/app/${t.taskId}`);
    expect(byName(done, 'side').logStreamName).toBeUndefined();

    const logs = await h.engine.logs(t.taskId);
    const app = logs.filter((l) => l.container === 'app');
    expect(app.filter((l) => l.stream === 'stdout').map((l) => l.text)).toEqual([
      'out1',
      'out2',
      'no newline',
    ]);
    expect(app.filter((l) => l.stream === 'stderr').map((l) => l.text)).toEqual(['err1', 'err2']);
    expect(logs.filter((l) => l.container === 'side').map((l) => `${l.stream}:${l.text}`)).toEqual([
      'stdout:side-out',
    ]);
    for (const l of logs) {
      expect(l.taskId).toBe(t.taskId);
      expect(l.time).toMatch(ISO);
    }
    // stdout and stderr are separate pipes: time order holds within each stream.
    for (const name of ['app', 'side']) {
      for (const stream of ['stdout', 'stderr']) {
        const times = logs.filter((l) => l.container === name && l.stream === stream).map((l) => l.time);
        expect(times).toEqual([...times].sort());
      }
    }
    const seqs = logs.map((l) => l.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(live.filter((l) => l.taskId === t.taskId)).toEqual(logs);

    // Queries: by container, after a seq, newest N.
    expect(await h.engine.logs(t.taskId, { container: 'side' })).toEqual(
      logs.filter((l) => l.container === 'side'),
    );
    expect(await h.engine.logs(t.taskId, { afterSeq: seqs[2]! })).toEqual(logs.slice(3));
    expect(await h.engine.logs(t.taskId, { limit: 2 })).toEqual(logs.slice(-2));
  });

  test('logs, events and the record are kept after the task stops and after an engine restart', async () => {
    const t = await h.engine.runTask({
      taskDefinition: taskDef('ev-kept', [container('app', sh('echo kept-out; echo kept-err >&2'))]),
    });
    const done = await h.engine.waitForStopped(t.taskId);
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
    const logs = await h.engine.logs(t.taskId);
    const events = await h.engine.events(t.taskId);
    expect(logs.map((l) => `${l.stream}:${l.text}`).sort()).toEqual(['stderr:kept-err', 'stdout:kept-out']);

    await h.restart();
    expect(await h.engine.logs(t.taskId)).toEqual(logs);
    expect(await h.engine.events(t.taskId)).toEqual(events);
    const again = h.engine.describeTask(t.taskId)!;
    expect(again.lastStatus).toBe('STOPPED');
    expect(again.stopCode).toBe(done.stopCode);
    expect(again.containers.map((c) => c.exitCode)).toEqual(done.containers.map((c) => c.exitCode));
  });

  test('a task running across an engine restart: no log line lost or duplicated, event versions continue without a gap', async () => {
    const t = await h.engine.runTask({
      taskDefinition: taskDef('ev-restart', [
        container('app', {
          ...sh('trap "exit 143" TERM; i=0; while true; do i=$((i+1)); echo "line $i"; sleep 0.1; done'),
          stopTimeout: 2,
        }),
      ]),
    });
    await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
    await sleep(800);
    await h.restart();
    await sleep(800);
    expect(h.engine.describeTask(t.taskId)!.lastStatus).toBe('RUNNING');
    await h.engine.stopTask(t.taskId);
    await h.engine.waitForStopped(t.taskId);
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);

    const numbers = (await h.engine.logs(t.taskId)).map((l) => Number(/^line (\d+)$/.exec(l.text)?.[1]));
    expect(numbers.length).toBeGreaterThan(10);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    const seqs = (await h.engine.logs(t.taskId)).map((l) => l.seq);
    expect(new Set(seqs).size).toBe(seqs.length);

    const versions = (await h.engine.events(t.taskId)).map((e) => e.detail.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });
});
