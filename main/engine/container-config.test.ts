import { describe, expect, test } from 'vitest';
import type { ContainerDefinition, TaskDefinition } from '../task-definition/model.js';
import {
  applyContainerOverride,
  awslogsStreamName,
  checkOverrides,
  toContainerCreateOptions,
  toDockerHealthcheck,
  toPauseContainerOptions,
  type ContainerConfigContext,
} from './container-config.js';
import { container } from '../test-support/task-def-builders.js';

const MIB = 1024 * 1024;
const NS = 1_000_000_000;

function def(over: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return container('app', { image: 'busybox', ...over });
}

function ctx(over: Partial<ContainerConfigContext> = {}): ContainerConfigContext {
  return {
    dockerName: 'taskdeck-fam-0123-app',
    labels: { 'com.amazonaws.ecs.cluster': 'arn:cluster', 'com.amazonaws.ecs.container-name': 'app' },
    networkMode: 'bridge',
    volumeSources: new Map(),
    containerIds: new Map(),
    extraEnv: {},
    endpointEnv: {},
    extraHosts: [],
    ...over,
  };
}

const create = (d: Partial<ContainerDefinition> = {}, c: Partial<ContainerConfigContext> = {}) =>
  toContainerCreateOptions(def(d), ctx(c));

describe('toContainerCreateOptions (semantics §6)', () => {
  test.each<[string, Partial<ContainerDefinition>, Partial<ContainerConfigContext>, object]>([
    ['name and image', {}, {}, { name: 'taskdeck-fam-0123-app', Image: 'busybox' }],
    ['command → Cmd', { command: ['echo', 'hi'] }, {}, { Cmd: ['echo', 'hi'] }],
    ['entryPoint → Entrypoint', { entryPoint: ['/bin/sh', '-c'] }, {}, { Entrypoint: ['/bin/sh', '-c'] }],
    ['workingDirectory → WorkingDir', { workingDirectory: '/srv' }, {}, { WorkingDir: '/srv' }],
    ['user → User', { user: '1000:1000' }, {}, { User: '1000:1000' }],
    ['hostname (bridge) → Hostname', { hostname: 'web' }, {}, { Hostname: 'web' }],
    ['stopTimeout → StopTimeout', { stopTimeout: 7 }, {}, { StopTimeout: 7 }],
    ['stopTimeout default 30', {}, {}, { StopTimeout: 30 }],
    ['memory → Memory (bytes)', { memory: 64 }, {}, { HostConfig: { Memory: 64 * MIB } }],
    [
      'memoryReservation → MemoryReservation',
      { memoryReservation: 32 },
      {},
      { HostConfig: { MemoryReservation: 32 * MIB } },
    ],
    [
      'task memory is the ceiling without own limits',
      {},
      { taskMemory: 512 },
      { HostConfig: { Memory: 512 * MIB } },
    ],
    [
      'own memory beats task memory',
      { memory: 128 },
      { taskMemory: 512 },
      { HostConfig: { Memory: 128 * MIB } },
    ],
    ['cpu → CpuShares', { cpu: 512 }, {}, { HostConfig: { CpuShares: 512 } }],
    ['cpu 0 → 2 shares (agent floor)', { cpu: 0 }, {}, { HostConfig: { CpuShares: 2 } }],
    ['cpu 1 → 2 shares (1 is invalid for Linux)', { cpu: 1 }, {}, { HostConfig: { CpuShares: 2 } }],
    [
      'task cpu → a CFS quota (256 units = 25 ms per 100 ms)',
      {},
      { taskCpu: 256 },
      { HostConfig: { CpuPeriod: 100_000, CpuQuota: 25_000 } },
    ],
    [
      'task cpu above the host still maps linearly (4 vCPU)',
      { cpu: 128 },
      { taskCpu: 4096 },
      { HostConfig: { CpuShares: 128, CpuPeriod: 100_000, CpuQuota: 400_000 } },
    ],
    ['task cpu 1 unit → the 1 ms quota floor', {}, { taskCpu: 1 }, { HostConfig: { CpuQuota: 1_000 } }],
    [
      'ulimits',
      { ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 2048 }] },
      {},
      { HostConfig: { Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }] } },
    ],
    [
      'capabilities',
      { linuxParameters: { capabilities: { add: ['NET_ADMIN'], drop: ['CHOWN', 'MKNOD'] } } },
      {},
      { HostConfig: { CapAdd: ['NET_ADMIN'], CapDrop: ['CHOWN', 'MKNOD'] } },
    ],
    [
      'devices: permissions default to rwm, containerPath to hostPath',
      {
        linuxParameters: {
          devices: [
            { hostPath: '/dev/fuse' },
            { hostPath: '/dev/null', containerPath: '/dev/x', permissions: ['read'] },
          ],
        },
      },
      {},
      {
        HostConfig: {
          Devices: [
            { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' },
            { PathOnHost: '/dev/null', PathInContainer: '/dev/x', CgroupPermissions: 'r' },
          ],
        },
      },
    ],
    [
      'initProcessEnabled → Init',
      { linuxParameters: { initProcessEnabled: true } },
      {},
      { HostConfig: { Init: true } },
    ],
    [
      'sharedMemorySize → ShmSize (bytes)',
      { linuxParameters: { sharedMemorySize: 32 } },
      {},
      { HostConfig: { ShmSize: 32 * MIB } },
    ],
    [
      'tmpfs with size and options',
      {
        linuxParameters: {
          tmpfs: [
            { containerPath: '/scratch', size: 8, mountOptions: ['noexec', 'nosuid'] },
            { containerPath: '/t', size: 1 },
          ],
        },
      },
      {},
      { HostConfig: { Tmpfs: { '/scratch': 'size=8m,noexec,nosuid', '/t': 'size=1m' } } },
    ],
    [
      'readonlyRootFilesystem',
      { readonlyRootFilesystem: true },
      {},
      { HostConfig: { ReadonlyRootfs: true } },
    ],
    ['privileged', { privileged: true }, {}, { HostConfig: { Privileged: true } }],
    [
      'extraHosts (definition and endpoints)',
      { extraHosts: [{ hostname: 'db.local', ipAddress: '10.1.2.3' }] },
      { extraHosts: ['169.254.170.2:10.0.0.9'] },
      { HostConfig: { ExtraHosts: ['db.local:10.1.2.3', '169.254.170.2:10.0.0.9'] } },
    ],
    ['dnsServers → Dns', { dnsServers: ['10.0.0.53'] }, {}, { HostConfig: { Dns: ['10.0.0.53'] } }],
    [
      'mountPoints → Binds (":ro" when readOnly)',
      {
        mountPoints: [
          { sourceVolume: 'data', containerPath: '/data', readOnly: false },
          { sourceVolume: 'conf', containerPath: '/etc/app', readOnly: true },
        ],
      },
      {
        volumeSources: new Map([
          ['data', 'taskdeck-x-data'],
          ['conf', '/host/conf'],
        ]),
      },
      { HostConfig: { Binds: ['taskdeck-x-data:/data', '/host/conf:/etc/app:ro'] } },
    ],
    [
      'volumesFrom → source container ids',
      {
        volumesFrom: [
          { sourceContainer: 'a', readOnly: false },
          { sourceContainer: 'b', readOnly: true },
        ],
      },
      {
        containerIds: new Map([
          ['a', 'id-a'],
          ['b', 'id-b'],
        ]),
      },
      { HostConfig: { VolumesFrom: ['id-a', 'id-b:ro'] } },
    ],
    [
      'bridge ports: fixed and dynamic host ports',
      {
        portMappings: [
          { containerPort: 80, hostPort: 8080, protocol: 'tcp' },
          { containerPort: 53, protocol: 'udp' },
        ],
      },
      {},
      {
        ExposedPorts: { '80/tcp': {}, '53/udp': {} },
        HostConfig: {
          NetworkMode: 'bridge',
          PortBindings: { '80/tcp': [{ HostPort: '8080' }], '53/udp': [{ HostPort: '' }] },
        },
      },
    ],
    [
      'logs are kept by Docker as json-file',
      {},
      {},
      { HostConfig: { LogConfig: { Type: 'json-file', Config: {} } } },
    ],
  ])('%s', (_name, d, c, want) => {
    expect(create(d, c)).toMatchObject(want);
  });

  test('no command, entryPoint, user or workingDirectory → the image defaults stay (keys absent)', () => {
    const o = create();
    for (const k of ['Cmd', 'Entrypoint', 'User', 'WorkingDir', 'Hostname', 'ExposedPorts'] as const)
      expect(o).not.toHaveProperty(k);
    for (const k of [
      'Memory',
      'MemoryReservation',
      'Binds',
      'VolumesFrom',
      'CapAdd',
      'CapDrop',
      'Init',
      'ShmSize',
      'Tmpfs',
      'ExtraHosts',
      'Dns',
      'PortBindings',
    ])
      expect(o.HostConfig).not.toHaveProperty(k);
    expect(o.HostConfig).toMatchObject({ ReadonlyRootfs: false, Privileged: false });
  });

  test('memoryReservation alone sets no hard limit, even with task memory', () => {
    const o = create({ memoryReservation: 64 }, { taskMemory: 512 });
    expect(o.HostConfig).not.toHaveProperty('Memory');
    expect(o.HostConfig?.MemoryReservation).toBe(64 * MIB);
  });

  test('environment precedence: files < environment < secrets < endpoint variables; secret keys never leak', () => {
    const o = create(
      {
        environment: [
          { name: 'A', value: 'env' },
          { name: 'B', value: 'env' },
          { name: 'C', value: 'env' },
        ],
        secrets: [
          { name: 'C', valueFrom: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:c' },
          { name: 'D', valueFrom: 'param-d' },
        ],
      },
      {
        extraEnv: { A: 'file', F: 'file', 'secret:C': 'secret-c', 'secret:D': 'secret-d' },
        endpointEnv: { B: 'endpoint', ECS_CONTAINER_METADATA_URI_V4: 'http://x/v4/id' },
      },
    );
    expect(
      Object.fromEntries(o.Env!.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])),
    ).toEqual({
      A: 'env',
      B: 'endpoint',
      C: 'secret-c',
      D: 'secret-d',
      F: 'file',
      ECS_CONTAINER_METADATA_URI_V4: 'http://x/v4/id',
    });
  });

  test('an environment value may contain "=" and spaces', () => {
    expect(create({ environment: [{ name: 'Q', value: 'a b=c' }] }).Env).toEqual(['Q=a b=c']);
  });

  test('dockerLabels are applied, but the engine’s ECS labels cannot be overridden', () => {
    const o = create({ dockerLabels: { team: 'core', 'com.amazonaws.ecs.cluster': 'spoofed' } });
    expect(o.Labels).toEqual({
      team: 'core',
      'com.amazonaws.ecs.cluster': 'arn:cluster',
      'com.amazonaws.ecs.container-name': 'app',
    });
  });

  test('awsvpc: joins the pause container; ports, hostname, hosts and DNS belong to the pause container', () => {
    const o = create(
      {
        hostname: 'web',
        portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }],
        extraHosts: [{ hostname: 'db', ipAddress: '10.0.0.1' }],
        dnsServers: ['10.0.0.53'],
      },
      { networkMode: 'awsvpc', networkContainerId: 'pause-id', extraHosts: ['169.254.170.2:1.2.3.4'] },
    );
    expect(o.HostConfig?.NetworkMode).toBe('container:pause-id');
    for (const k of ['Hostname', 'ExposedPorts'] as const) expect(o).not.toHaveProperty(k);
    for (const k of ['PortBindings', 'ExtraHosts', 'Dns']) expect(o.HostConfig).not.toHaveProperty(k);
  });

  test('host network: ports exposed but not bound, no hostname', () => {
    const o = create(
      { hostname: 'web', portMappings: [{ containerPort: 80, protocol: 'tcp' }] },
      { networkMode: 'host' },
    );
    expect(o.HostConfig?.NetworkMode).toBe('host');
    expect(o.ExposedPorts).toEqual({ '80/tcp': {} });
    expect(o.HostConfig).not.toHaveProperty('PortBindings');
    expect(o).not.toHaveProperty('Hostname');
  });

  test.each([
    [
      'a mountPoint on an unknown volume',
      { mountPoints: [{ sourceVolume: 'nope', containerPath: '/x', readOnly: false }] },
      "mountPoints: volume 'nope' has no source",
    ],
    [
      'volumesFrom a container not yet created',
      { volumesFrom: [{ sourceContainer: 'nope', readOnly: false }] },
      "volumesFrom: container 'nope' has not been created",
    ],
  ])('throws on %s', (_name, d, message) => {
    expect(() => create(d)).toThrow(message);
  });
});

describe('toDockerHealthcheck (semantics §5)', () => {
  test('no check → NONE, which also disables an image HEALTHCHECK', () => {
    expect(toDockerHealthcheck(undefined)).toEqual({ Test: ['NONE'] });
  });

  test.each([[['CMD-SHELL', 'curl -f localhost || exit 1']], [['CMD', 'test', '-f', '/ready']]])(
    '%j is passed through, seconds become nanoseconds',
    (command) => {
      expect(toDockerHealthcheck({ command, interval: 5, timeout: 2, retries: 3, startPeriod: 10 })).toEqual({
        Test: command,
        Interval: 5 * NS,
        Timeout: 2 * NS,
        Retries: 3,
        StartPeriod: 10 * NS,
      });
    },
  );
});

describe('applyContainerOverride (RunTask overrides.containerOverrides)', () => {
  const base = def({
    command: ['orig'],
    cpu: 128,
    memory: 64,
    environment: [
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ],
  });

  test('no override → the same definition', () => {
    expect(applyContainerOverride(base, undefined)).toBe(base);
  });

  test.each([
    ['command replaces', { name: 'app', command: ['new', 'cmd'] }, { command: ['new', 'cmd'] }],
    ['cpu', { name: 'app', cpu: 256 }, { cpu: 256 }],
    ['cpu 0 is a value, not absence', { name: 'app', cpu: 0 }, { cpu: 0 }],
    ['memory', { name: 'app', memory: 96 }, { memory: 96 }],
    ['memoryReservation', { name: 'app', memoryReservation: 48 }, { memoryReservation: 48 }],
    [
      'environment merges by name: overridden values replace, new ones are added, others stay',
      {
        name: 'app',
        environment: [
          { name: 'B', value: 'x' },
          { name: 'C', value: 'y' },
        ],
      },
      {
        environment: [
          { name: 'A', value: '1' },
          { name: 'B', value: 'x' },
          { name: 'C', value: 'y' },
        ],
      },
    ],
    ['nothing given → nothing changes', { name: 'app' }, { command: ['orig'], cpu: 128, memory: 64 }],
  ])('%s', (_name, override, want) => {
    expect(applyContainerOverride(base, override)).toMatchObject(want);
  });
});

describe('checkOverrides', () => {
  const td = {
    family: 'fam',
    containerDefinitions: [def({ name: 'web' }), def({ name: 'db' })],
  } as unknown as TaskDefinition;
  test.each([
    ['no overrides', undefined, undefined],
    ['known names', { containerOverrides: [{ name: 'web' }, { name: 'db' }] }, undefined],
    [
      'an unknown name, with its JSON path',
      { containerOverrides: [{ name: 'web' }, { name: 'nope' }] },
      "overrides.containerOverrides[1].name: container 'nope' is not in task definition fam",
    ],
    ['task cpu and memory in ECS forms', { cpu: '0.5 vCPU', memory: '1 GB' }, undefined],
    [
      'malformed task cpu',
      { cpu: 'lots' },
      'overrides.cpu: must be CPU units (e.g. "256") or vCPUs (e.g. "0.25 vCPU"), got "lots"',
    ],
    [
      'malformed task memory',
      { memory: '-5' },
      'overrides.memory: must be MiB (e.g. "512") or GB (e.g. "0.5 GB"), got "-5"',
    ],
  ])('%s', (_name, overrides, want) => {
    expect(checkOverrides(td, overrides)).toBe(want);
  });
});

describe('awslogsStreamName (semantics §10)', () => {
  test.each([
    [
      'awslogs with prefix',
      { logDriver: 'awslogs', options: { 'awslogs-stream-prefix': 'web' } },
      'web/app/0123abcd',
    ],
    ['awslogs without prefix', { logDriver: 'awslogs', options: {} }, undefined],
    ['another driver', { logDriver: 'json-file', options: { 'awslogs-stream-prefix': 'web' } }, undefined],
    ['no log configuration', undefined, undefined],
  ])('%s', (_name, logConfiguration, want) => {
    expect(awslogsStreamName(def(logConfiguration ? { logConfiguration } : {}), '0123abcd')).toBe(want);
  });
});

describe('toPauseContainerOptions (awsvpc)', () => {
  const td = {
    family: 'fam',
    networkMode: 'awsvpc',
    containerDefinitions: [
      def({
        name: 'web',
        portMappings: [{ containerPort: 80, protocol: 'tcp' }],
        extraHosts: [{ hostname: 'db', ipAddress: '10.0.0.1' }],
      }),
      def({
        name: 'dns',
        portMappings: [{ containerPort: 53, hostPort: 5353, protocol: 'udp' }],
        dnsServers: ['10.0.0.53'],
      }),
    ],
  } as unknown as TaskDefinition;

  test('publishes every container port (host port = container port unless given), carries hosts and DNS', () => {
    const o = toPauseContainerOptions(td, {
      dockerName: 'p',
      image: 'busybox',
      networkName: 'net',
      labels: { l: '1' },
      extraHosts: ['x:1.1.1.1'],
    });
    expect(o).toMatchObject({
      name: 'p',
      Image: 'busybox',
      Labels: { l: '1' },
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      Healthcheck: { Test: ['NONE'] },
      HostConfig: {
        NetworkMode: 'net',
        PortBindings: { '80/tcp': [{ HostPort: '80' }], '53/udp': [{ HostPort: '5353' }] },
        ExtraHosts: ['x:1.1.1.1', 'db:10.0.0.1'],
        Dns: ['10.0.0.53'],
        Init: true,
      },
    });
  });
});
