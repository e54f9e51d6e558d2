import { describe, expect, test } from 'vitest';
import type { ContainerDetail, TaskDetail } from '../../contract/dto.js';
import { eventSignature, taskStateChangeEvent } from './task-events.js';

const ID = '0123456789abcdef0123456789abcdef';
const TASK_ARN = `arn:aws:ecs:eu-west-1:123456789012:task/dev/${ID}`;
const CTX = { region: 'eu-west-1', account: '123456789012', cluster: 'dev' };

function containerDetail(over: Partial<ContainerDetail> = {}): ContainerDetail {
  return {
    containerArn: `arn:aws:ecs:eu-west-1:123456789012:container/dev/${ID}/app`,
    taskArn: TASK_ARN,
    name: 'app',
    image: 'busybox',
    lastStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    networkBindings: [],
    networkInterfaces: [],
    cpu: '0',
    essential: true,
    phase: 'RUNNING',
    phases: [{ at: '2024-01-01T00:00:01.000Z', phase: 'RUNNING' }],
    dependencies: [],
    startedAt: '2024-01-01T00:00:01.000Z',
    ...over,
  };
}

function task(over: Partial<TaskDetail> = {}): TaskDetail {
  return {
    taskArn: TASK_ARN,
    clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/dev',
    taskDefinitionArn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/fam:3',
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    launchType: 'FARGATE',
    group: 'family:fam',
    attachments: [],
    containers: [containerDetail()],
    createdAt: '2024-01-01T00:00:00.000Z',
    version: 5,
    taskId: ID,
    family: 'fam',
    revision: 3,
    networkMode: 'bridge',
    ...over,
  };
}

describe('taskStateChangeEvent (semantics §10)', () => {
  const time = '2024-01-01T00:00:02.000Z';

  test('envelope: version "0", detail-type, source, account, region, resources [taskArn], a UUID id, the given time', () => {
    const e = taskStateChangeEvent(task(), CTX, time);
    expect(Object.keys(e).sort()).toEqual([
      'account',
      'detail',
      'detail-type',
      'id',
      'region',
      'resources',
      'source',
      'time',
      'version',
    ]);
    expect(e).toMatchObject({
      version: '0',
      'detail-type': 'ECS Task State Change',
      source: 'aws.ecs',
      account: '123456789012',
      region: 'eu-west-1',
      time,
      resources: [TASK_ARN],
    });
    expect(e.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(taskStateChangeEvent(task(), CTX, time).id).not.toBe(e.id);
  });

  test('detail.version is the task version', () => {
    expect(taskStateChangeEvent(task({ version: 42 }), CTX, time).detail.version).toBe(42);
  });

  test('a running task: the always-present detail keys, no stop fields, no Taskdeck extras', () => {
    const d = taskStateChangeEvent(task(), CTX, time).detail;
    expect(Object.keys(d).sort()).toEqual(
      [
        'attachments',
        'clusterArn',
        'containers',
        'createdAt',
        'desiredStatus',
        'group',
        'healthStatus',
        'lastStatus',
        'launchType',
        'taskArn',
        'taskDefinitionArn',
        'version',
      ].sort(),
    );
  });

  test('a stopped task carries every timestamp, task size, stopCode and stoppedReason', () => {
    const d = taskStateChangeEvent(
      task({
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        cpu: '256',
        memory: '512',
        pullStartedAt: 'a',
        pullStoppedAt: 'b',
        startedAt: 'c',
        stoppingAt: 'd',
        executionStoppedAt: 'e',
        stoppedAt: 'f',
        stopCode: 'UserInitiated',
        stoppedReason: 'Task stopped by user',
        stopRequestedAt: 'd',
        stoppedBy: 'app',
        definitionId: 'lib-1',
      }),
      CTX,
      time,
    ).detail;
    expect(d).toMatchObject({
      cpu: '256',
      memory: '512',
      pullStartedAt: 'a',
      pullStoppedAt: 'b',
      startedAt: 'c',
      stoppingAt: 'd',
      executionStoppedAt: 'e',
      stoppedAt: 'f',
      stopCode: 'UserInitiated',
      stoppedReason: 'Task stopped by user',
    });
    for (const extra of [
      'taskId',
      'family',
      'revision',
      'networkMode',
      'definitionId',
      'stopRequestedAt',
      'stoppedBy',
    ]) {
      expect(d).not.toHaveProperty(extra);
    }
  });

  test('containers: the ECS fields only (no phases, dependencies, essential…)', () => {
    const c = taskStateChangeEvent(
      task({
        containers: [
          containerDetail({
            imageDigest: 'sha256:abc',
            runtimeId: 'docker-id',
            lastStatus: 'STOPPED',
            exitCode: 137,
            reason: 'OutOfMemoryError: Container killed due to memory usage',
            memory: '64',
          }),
        ],
      }),
      CTX,
      time,
    ).detail.containers[0]!;
    expect(c).toEqual({
      containerArn: `arn:aws:ecs:eu-west-1:123456789012:container/dev/${ID}/app`,
      taskArn: TASK_ARN,
      name: 'app',
      image: 'busybox',
      imageDigest: 'sha256:abc',
      runtimeId: 'docker-id',
      lastStatus: 'STOPPED',
      exitCode: 137,
      reason: 'OutOfMemoryError: Container killed due to memory usage',
      healthStatus: 'UNKNOWN',
      networkBindings: [],
      networkInterfaces: [],
      cpu: '0',
      memory: '64',
    });
  });

  test('exit code 0 is kept (not dropped as falsy)', () => {
    const c = taskStateChangeEvent(task({ containers: [containerDetail({ exitCode: 0 })] }), CTX, time).detail
      .containers[0]!;
    expect(c.exitCode).toBe(0);
  });
});

describe('eventSignature: which changes deserve an event', () => {
  const base = task();
  const withContainer = (over: Partial<ContainerDetail>) => task({ containers: [containerDetail(over)] });

  test.each<[string, TaskDetail]>([
    ['task lastStatus', task({ lastStatus: 'STOPPING' })],
    ['desiredStatus', task({ desiredStatus: 'STOPPED' })],
    ['task healthStatus', task({ healthStatus: 'HEALTHY' })],
    ['stopCode', task({ stopCode: 'UserInitiated' })],
    [
      'attachment status',
      task({ attachments: [{ id: 'a', type: 'ElasticNetworkInterface', status: 'ATTACHED', details: [] }] }),
    ],
    ['container lastStatus', withContainer({ lastStatus: 'STOPPED' })],
    ['container exitCode', withContainer({ exitCode: 1 })],
    ['container healthStatus', withContainer({ healthStatus: 'UNHEALTHY' })],
    ['container reason', withContainer({ reason: 'CannotStartContainerError: x' })],
    ['container runtimeId', withContainer({ runtimeId: 'id' })],
    ['container imageDigest', withContainer({ imageDigest: 'sha256:1' })],
    [
      'container networkBindings',
      withContainer({
        networkBindings: [{ bindIP: '0.0.0.0', containerPort: 80, hostPort: 32768, protocol: 'tcp' }],
      }),
    ],
  ])('changes with %s', (_name, changed) => {
    expect(eventSignature(changed)).not.toBe(eventSignature(base));
  });

  test.each<[string, TaskDetail]>([
    ['version', task({ version: 99 })],
    ['internal phase history', withContainer({ phases: [], phase: 'STOPPING' })],
    [
      'dependency waits',
      withContainer({
        dependencies: [{ containerName: 'db', condition: 'START', state: 'met', detail: 'x' }],
      }),
    ],
  ])('does not change with %s', (_name, changed) => {
    expect(eventSignature(changed)).toBe(eventSignature(base));
  });
});
