import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import {
  buildContainerDocument,
  buildTaskDocument,
  cidrOf,
  knownStatusOf,
  taskKnownStatus,
} from './metadata-documents.js';
import { eniAttachment, fakeContainer, fakeTask } from './test-fixtures.js';

const TASK_ID = '0123456789abcdef0123456789abcdef';

function inspect(extra: Record<string, unknown> = {}): Docker.ContainerInspectInfo {
  return {
    Id: 'c'.repeat(64),
    Name: '/ecs-demo-3-app',
    Created: '2026-01-01T00:00:03.123456789Z',
    Image: 'sha256:' + 'a'.repeat(64),
    State: {
      Status: 'running',
      Running: true,
      ExitCode: 0,
      StartedAt: '2026-01-01T00:00:04.5Z',
      FinishedAt: '0001-01-01T00:00:00Z',
    },
    Config: { Labels: { 'com.amazonaws.ecs.container-name': 'app' } },
    HostConfig: {
      NetworkMode: 'bridge',
      Memory: 268435456,
      CpuShares: 128,
      LogConfig: { Type: 'json-file', Config: {} },
    },
    Mounts: [
      { Type: 'volume', Name: 'data', Source: '/var/lib/docker/volumes/data/_data', Destination: '/data' },
      { Type: 'bind', Source: '/host/conf', Destination: '/conf' },
    ],
    NetworkSettings: {
      Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '32768' }] },
      Networks: {
        bridge: {
          NetworkID: 'n'.repeat(64),
          IPAddress: '172.17.0.5',
          IPPrefixLen: 16,
          Gateway: '172.17.0.1',
          MacAddress: '02:42:ac:11:00:05',
        },
      },
    },
    ...extra,
  } as unknown as Docker.ContainerInspectInfo;
}

describe('cidrOf', () => {
  it('masks the address', () => {
    expect(cidrOf('172.18.3.7', 16)).toBe('172.18.0.0/16');
    expect(cidrOf('10.0.2.130', 25)).toBe('10.0.2.128/25');
    expect(cidrOf('10.0.2.130', 32)).toBe('10.0.2.130/32');
    expect(cidrOf('nope', 16)).toBeUndefined();
  });
});

describe('knownStatusOf', () => {
  it('uses the agent internal names', () => {
    expect(knownStatusOf('WAITING')).toBe('PULLED');
    expect(knownStatusOf('PULLING')).toBe('NONE');
    expect(knownStatusOf('PULLED')).toBe('PULLED');
    expect(knownStatusOf('CREATED')).toBe('CREATED');
    expect(knownStatusOf('STOPPING')).toBe('RUNNING');
    expect(knownStatusOf('STOPPED')).toBe('STOPPED');
  });
});

describe('buildContainerDocument', () => {
  it('builds the bridge document with every key from live state', () => {
    const c = fakeContainer(TASK_ID, 'app', {
      runtimeId: 'c'.repeat(64),
      cpu: '128',
      memory: '256',
      networkBindings: [{ bindIP: '0.0.0.0', containerPort: 80, hostPort: 32768, protocol: 'tcp' }],
    });
    const task = fakeTask(TASK_ID, 'bridge', [c], { launchType: 'EC2' });
    const doc = buildContainerDocument(task, {
      detail: c,
      inspect: inspect(),
      extras: {
        cpu: 128,
        memory: 256,
        logDriver: 'awslogs',
        logOptions: { 'awslogs-group': '/ecs/demo', 'awslogs-stream': `ecs/app/${TASK_ID}` },
      },
    });
    expect(doc).toEqual({
      DockerId: 'c'.repeat(64),
      Name: 'app',
      DockerName: 'ecs-demo-3-app',
      Image: 'taskdeck-test/busybox:latest',
      ImageID: 'sha256:' + 'a'.repeat(64),
      Ports: [{ ContainerPort: 80, Protocol: 'tcp', HostPort: 32768, HostIp: '0.0.0.0' }],
      Labels: { 'com.amazonaws.ecs.container-name': 'app' },
      DesiredStatus: 'RUNNING',
      KnownStatus: 'RUNNING',
      Limits: { CPU: 128, Memory: 256 },
      CreatedAt: '2026-01-01T00:00:03.123456789Z',
      StartedAt: '2026-01-01T00:00:04.5Z',
      Type: 'NORMAL',
      Volumes: [
        { DockerName: 'data', Source: '/var/lib/docker/volumes/data/_data', Destination: '/data' },
        { Source: '/host/conf', Destination: '/conf' },
      ],
      LogDriver: 'awslogs',
      LogOptions: { 'awslogs-group': '/ecs/demo', 'awslogs-stream': `ecs/app/${TASK_ID}` },
      ContainerARN: c.containerArn,
      Networks: [{ NetworkMode: 'bridge', IPv4Addresses: ['172.17.0.5'] }],
    });
    expect(Object.keys(doc)[0]).toBe('DockerId');
  });

  it('adds ExitCode and FinishedAt once stopped, Health once known', () => {
    const c = fakeContainer(TASK_ID, 'app', {
      phase: 'STOPPED',
      lastStatus: 'STOPPED',
      healthStatus: 'HEALTHY',
      healthSince: '2026-01-01T00:00:10.000Z',
    });
    const task = fakeTask(TASK_ID, 'bridge', [c], { desiredStatus: 'STOPPED' });
    const doc = buildContainerDocument(task, {
      detail: c,
      inspect: inspect({
        State: {
          Status: 'exited',
          Running: false,
          ExitCode: 3,
          StartedAt: '2026-01-01T00:00:04Z',
          FinishedAt: '2026-01-01T00:00:20Z',
          Health: {
            Status: 'healthy',
            FailingStreak: 0,
            Log: [{ Start: 'a', End: 'b', ExitCode: 0, Output: 'ok\n' }],
          },
        },
      }),
    });
    expect(doc.ExitCode).toBe(3);
    expect(doc.FinishedAt).toBe('2026-01-01T00:00:20Z');
    expect(doc.KnownStatus).toBe('STOPPED');
    expect(doc.DesiredStatus).toBe('STOPPED');
    expect(doc.Health).toEqual({
      status: 'HEALTHY',
      statusSince: '2026-01-01T00:00:10.000Z',
      exitCode: 0,
      output: 'ok\n',
    });
  });

  it('omits Health while UNKNOWN and docker-only keys before the container exists', () => {
    const c = fakeContainer(TASK_ID, 'later', { phase: 'WAITING', lastStatus: 'PENDING' });
    const doc = buildContainerDocument(fakeTask(TASK_ID, 'bridge', [c]), { detail: c });
    // Labels omitted when empty (omitempty); Limits always there, CPU at least 2 (agent minimum).
    expect(doc).toEqual({
      DockerId: '',
      Name: 'later',
      DockerName: 'later',
      Image: 'taskdeck-test/busybox:latest',
      ImageID: '',
      DesiredStatus: 'RUNNING',
      KnownStatus: 'PULLED',
      Limits: { CPU: 2, Memory: 0 },
      Type: 'NORMAL',
      ContainerARN: c.containerArn,
    });
  });

  it('describes the awsvpc network from the attachment and the namespace owner', () => {
    const c = fakeContainer(TASK_ID, 'app');
    const task = fakeTask(TASK_ID, 'awsvpc', [c], {
      attachments: [
        eniAttachment({ ip: '172.20.0.2', mac: '02:42:ac:14:00:02', dns: 'ip-172-20-0-2.ec2.internal' }),
      ],
    });
    const owner = inspect({
      NetworkSettings: {
        Ports: {},
        Networks: {
          'taskdeck-task': {
            NetworkID: 'abcdef0123456789abcdef',
            IPAddress: '172.20.0.2',
            IPPrefixLen: 16,
            Gateway: '172.20.0.1',
            MacAddress: '02:42:ac:14:00:02',
          },
        },
      },
    });
    const app = inspect({
      HostConfig: { NetworkMode: 'container:' + 'p'.repeat(64) },
      NetworkSettings: { Ports: {}, Networks: {} },
    });
    const doc = buildContainerDocument(task, { detail: c, inspect: app, networkOwner: owner });
    expect(doc.Networks).toEqual([
      {
        NetworkMode: 'awsvpc',
        IPv4Addresses: ['172.20.0.2'],
        AttachmentIndex: 0,
        MACAddress: '02:42:ac:14:00:02',
        IPv4SubnetCIDRBlock: '172.20.0.0/16',
        DomainNameServers: ['127.0.0.11'],
        DomainNameSearchList: ['ec2.internal'],
        PrivateDNSName: 'ip-172-20-0-2.ec2.internal',
        SubnetGatewayIpv4Address: '172.20.0.1/16',
      },
    ]);
    const taskDoc = buildTaskDocument(task, [{ detail: c, inspect: app, networkOwner: owner }]);
    expect(taskDoc.VPCID).toBe('vpc-abcdef0123456789a');
  });
});

describe('buildTaskDocument', () => {
  it('has the task keys and every container', () => {
    const a = fakeContainer(TASK_ID, 'a');
    const b = fakeContainer(TASK_ID, 'b', { phase: 'PULLING', lastStatus: 'PENDING' });
    const task = fakeTask(TASK_ID, 'bridge', [a, b], { launchType: 'EC2' });
    const doc = buildTaskDocument(task, [{ detail: a, inspect: inspect() }, { detail: b }]);
    // Key order of the agent's TaskResponse (v2 fields, then v4's).
    expect(Object.keys(doc)).toEqual([
      'Cluster',
      'TaskARN',
      'Family',
      'Revision',
      'DesiredStatus',
      'KnownStatus',
      'Limits',
      'PullStartedAt',
      'PullStoppedAt',
      'AvailabilityZone',
      'LaunchType',
      'Containers',
      'FaultInjectionEnabled',
    ]);
    // EC2: the agent's configured (short) cluster name.
    expect(doc.Cluster).toBe('default');
    expect(doc.Revision).toBe('3');
    expect(doc.Limits).toEqual({ CPU: 0.25, Memory: 512 });
    expect(doc.AvailabilityZone).toBe('us-east-1a');
    expect(doc.LaunchType).toBe('EC2');
    expect(doc.FaultInjectionEnabled).toBe(false);
    expect(doc.Containers.map((c) => c.Name)).toEqual(['a', 'b']);
    expect(doc.VPCID).toBeUndefined();
    expect(doc.ClockDrift).toBeUndefined();
  });

  it('adds ExecutionStoppedAt once the task stopped', () => {
    const task = fakeTask(TASK_ID, 'bridge', [], {
      executionStoppedAt: '2026-01-01T00:01:00.000Z',
      lastStatus: 'STOPPED',
    });
    const doc = buildTaskDocument(task, []);
    expect(doc.ExecutionStoppedAt).toBe('2026-01-01T00:01:00.000Z');
    expect(doc.KnownStatus).toBe('STOPPED');
  });
});

describe('launch type shapes', () => {
  const owner = inspect({
    Id: 'p'.repeat(64),
    Name: '/taskdeck-demo-0123456789ab-pause',
    Config: {
      Image: 'busybox:stable',
      Labels: { 'com.amazonaws.ecs.container-name': '~internal~ecs~pause' },
    },
    NetworkSettings: {
      Ports: {},
      Networks: {
        'taskdeck-task': {
          NetworkID: 'abcdef0123456789abcdef',
          IPAddress: '172.20.0.2',
          IPPrefixLen: 16,
          Gateway: '172.20.0.1',
          MacAddress: '02:42:ac:14:00:02',
        },
      },
    },
  });
  const app = inspect({ HostConfig: { NetworkMode: 'container:' + 'p'.repeat(64) } });

  it('FARGATE: cluster ARN, DockerName = container name, ClockDrift and EphemeralStorageMetrics, no pause', () => {
    const c = fakeContainer(TASK_ID, 'app');
    const task = fakeTask(TASK_ID, 'awsvpc', [c], { launchType: 'FARGATE' });
    const doc = buildTaskDocument(task, [{ detail: c, inspect: app, networkOwner: owner }], {
      pause: owner,
      now: () => new Date('2026-01-01T00:00:09.123Z'),
    });
    expect(doc.Cluster).toBe('arn:aws:ecs:us-east-1:000000000000:cluster/default');
    expect(doc.Containers.map((x) => x.DockerName)).toEqual(['app']);
    expect(doc.ClockDrift).toEqual({
      ClockErrorBound: 0.5,
      ReferenceTimestamp: '2026-01-01T00:00:09Z',
      ClockSynchronizationStatus: 'SYNCHRONIZED',
    });
    expect(doc.EphemeralStorageMetrics).toEqual({ Utilized: 0, Reserved: 20496 });
    expect(doc.VPCID).toBe('vpc-abcdef0123456789a');
  });

  it('EC2 awsvpc: short cluster, Docker names, and the pause container listed as the agent lists it', () => {
    const c = fakeContainer(TASK_ID, 'app');
    const task = fakeTask(TASK_ID, 'awsvpc', [c], { launchType: 'EC2' });
    const doc = buildTaskDocument(task, [{ detail: c, inspect: app, networkOwner: owner }], { pause: owner });
    expect(doc.Cluster).toBe('default');
    expect(doc.ClockDrift).toBeUndefined();
    expect(doc.EphemeralStorageMetrics).toBeUndefined();
    expect(doc.Containers.map((x) => [x.Name, x.DockerName, x.Type, x.KnownStatus])).toEqual([
      ['app', 'ecs-demo-3-app', 'NORMAL', 'RUNNING'],
      ['~internal~ecs~pause', 'taskdeck-demo-0123456789ab-pause', 'CNI_PAUSE', 'RESOURCES_PROVISIONED'],
    ]);
    const pause = doc.Containers[1]!;
    expect(pause.ContainerARN).toBeUndefined();
    expect(pause.DesiredStatus).toBe('RESOURCES_PROVISIONED');
    expect(pause.Limits).toEqual({ CPU: 2, Memory: 0 });
    expect(pause.Networks?.[0]?.NetworkMode).toBe('awsvpc');
  });

  it('host and none: one network with IPv4Addresses [""] (agent GetContainerNetworkMetadata)', () => {
    for (const mode of ['host', 'none']) {
      const c = fakeContainer(TASK_ID, 'app');
      const task = fakeTask(TASK_ID, mode, [c], { launchType: 'EC2' });
      const i = inspect({
        HostConfig: { NetworkMode: mode },
        NetworkSettings: { Ports: {}, Networks: { [mode]: { IPAddress: '', IPPrefixLen: 0 } } },
      });
      expect(buildContainerDocument(task, { detail: c, inspect: i }).Networks).toEqual([
        { NetworkMode: mode, IPv4Addresses: [''] },
      ]);
      // Before Docker knows: the same shape from the task's mode.
      expect(buildContainerDocument(task, { detail: c }).Networks).toEqual([
        { NetworkMode: mode, IPv4Addresses: [''] },
      ]);
    }
  });

  it('TaskTags only on /taskWithTags, and only when there are tags', () => {
    const task = fakeTask(TASK_ID, 'bridge', [], { launchType: 'EC2' });
    const tags = { team: 'core', env: 'dev' };
    expect(buildTaskDocument(task, [], { tags }).TaskTags).toBeUndefined();
    expect(buildTaskDocument(task, [], { tags, withTags: true }).TaskTags).toEqual(tags);
    expect(buildTaskDocument(task, [], { tags: {}, withTags: true }).TaskTags).toBeUndefined();
  });
});

describe('taskKnownStatus', () => {
  it('stays RUNNING until every container has stopped, as the agent does', () => {
    const a = fakeContainer(TASK_ID, 'a', { phase: 'STOPPED', lastStatus: 'STOPPED' });
    const b = fakeContainer(TASK_ID, 'b', { phase: 'RUNNING' });
    expect(taskKnownStatus(fakeTask(TASK_ID, 'bridge', [a, b], { lastStatus: 'STOPPING' }))).toBe('RUNNING');
    expect(taskKnownStatus(fakeTask(TASK_ID, 'bridge', [a, b], { lastStatus: 'DEACTIVATING' }))).toBe(
      'RUNNING',
    );
    expect(
      taskKnownStatus(
        fakeTask(TASK_ID, 'bridge', [a, { ...b, phase: 'STOPPED' }], { lastStatus: 'STOPPING' }),
      ),
    ).toBe('STOPPED');
  });

  it('uses only the agent status names before RUNNING (never PROVISIONING or PENDING)', () => {
    const pulled = fakeContainer(TASK_ID, 'a', { phase: 'PULLED', lastStatus: 'PENDING' });
    const created = fakeContainer(TASK_ID, 'b', { phase: 'CREATED', lastStatus: 'PENDING' });
    const none = fakeContainer(TASK_ID, 'c', { phase: 'PULLING', lastStatus: 'PENDING' });
    expect(taskKnownStatus(fakeTask(TASK_ID, 'bridge', [pulled, created], { lastStatus: 'PENDING' }))).toBe(
      'PULLED',
    );
    expect(taskKnownStatus(fakeTask(TASK_ID, 'bridge', [created], { lastStatus: 'PENDING' }))).toBe(
      'CREATED',
    );
    expect(taskKnownStatus(fakeTask(TASK_ID, 'bridge', [none], { lastStatus: 'PROVISIONING' }))).toBe('NONE');
  });
});
