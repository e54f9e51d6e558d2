import { describe, expect, it } from 'vitest';
import { container, FARGATE_TASK, register, valid } from './test-helpers.js';

describe('normalisation with ECS defaults', () => {
  it('applies container defaults', () => {
    const [app] = valid(register([container('app')])).containerDefinitions;
    expect(app).toEqual({
      name: 'app',
      image: 'busybox:1.36',
      essential: true,
      memoryReservation: 64,
      cpu: 0,
      environment: [],
      environmentFiles: [],
      secrets: [],
      ulimits: [],
      mountPoints: [],
      volumesFrom: [],
      readonlyRootFilesystem: false,
      privileged: false,
      dockerLabels: {},
      extraHosts: [],
      dnsServers: [],
      portMappings: [],
      dependsOn: [],
    });
    expect(app?.stopTimeout).toBeUndefined();
    expect(app?.startTimeout).toBeUndefined();
    expect(app?.healthCheck).toBeUndefined();
  });

  it('applies task defaults', () => {
    const task = valid(register([container('app')]));
    expect(task).toEqual({
      family: 'test',
      revision: 1,
      networkMode: 'bridge',
      containerDefinitions: task.containerDefinitions,
      volumes: [],
      requiresCompatibilities: [],
    });
  });

  it('health check defaults: interval 30, timeout 5, retries 3, startPeriod 0', () => {
    const task = valid(register([container('app', { healthCheck: { command: ['CMD', 'true'] } })]));
    expect(task.containerDefinitions[0]?.healthCheck).toEqual({
      command: ['CMD', 'true'],
      interval: 30,
      timeout: 5,
      retries: 3,
      startPeriod: 0,
    });
  });

  it('keeps explicit health check values', () => {
    const healthCheck = {
      command: ['CMD-SHELL', 'exit 0'],
      interval: 5,
      timeout: 2,
      retries: 10,
      startPeriod: 300,
    };
    expect(valid(register([container('app', { healthCheck })])).containerDefinitions[0]?.healthCheck).toEqual(
      healthCheck,
    );
  });

  it('["NONE"] means no health check', () => {
    const task = valid(register([container('app', { healthCheck: { command: ['NONE'] } })]));
    expect(task.containerDefinitions[0]?.healthCheck).toBeUndefined();
  });

  it.each([
    [{}, 'bridge'],
    [FARGATE_TASK, 'awsvpc'],
    [{ ...FARGATE_TASK, requiresCompatibilities: ['EC2', 'FARGATE'] }, 'awsvpc'],
    [{ requiresCompatibilities: ['EC2'] }, 'bridge'],
    [{ networkMode: 'host' }, 'host'],
    [{ networkMode: 'none' }, 'none'],
    [{ networkMode: 'awsvpc' }, 'awsvpc'],
  ])('networkMode for %j is %s', (task, mode) => {
    expect(valid(register([container('app')], task)).networkMode).toBe(mode);
  });

  it.each([
    ['bridge', { containerPort: 80 }, { containerPort: 80, protocol: 'tcp' }],
    ['bridge', { containerPort: 80, hostPort: 0 }, { containerPort: 80, hostPort: 0, protocol: 'tcp' }],
    [
      'bridge',
      { containerPort: 80, hostPort: 8080, protocol: 'udp', name: 'web' },
      { containerPort: 80, hostPort: 8080, protocol: 'udp', name: 'web' },
    ],
    ['awsvpc', { containerPort: 80 }, { containerPort: 80, hostPort: 80, protocol: 'tcp' }],
    ['host', { containerPort: 9000 }, { containerPort: 9000, hostPort: 9000, protocol: 'tcp' }],
    ['awsvpc', { containerPort: 80, hostPort: 80 }, { containerPort: 80, hostPort: 80, protocol: 'tcp' }],
  ])('%s port mapping %j', (networkMode, mapping, expected) => {
    const task = valid(register([container('app', { portMappings: [mapping] })], { networkMode }));
    expect(task.containerDefinitions[0]?.portMappings).toEqual([expected]);
  });

  it('mount points and volumesFrom default readOnly to false', () => {
    const task = valid(
      register(
        [
          container('a', { mountPoints: [{ sourceVolume: 'data', containerPath: '/data' }] }),
          container('b', { volumesFrom: [{ sourceContainer: 'a' }] }),
        ],
        { volumes: [{ name: 'data' }] },
      ),
    );
    expect(task.containerDefinitions[0]?.mountPoints).toEqual([
      { sourceVolume: 'data', containerPath: '/data', readOnly: false },
    ]);
    expect(task.containerDefinitions[1]?.volumesFrom).toEqual([{ sourceContainer: 'a', readOnly: false }]);
  });

  it.each([
    ['256', '512', 256, 512],
    ['1 vCPU', '2 GB', 1024, 2048],
    ['0.5 vCPU', '0.5 GB', 512, 512],
    [2048, 4096, 2048, 4096],
  ])('task cpu %j and memory %j', (cpu, memory, cpuUnits, mib) => {
    const task = valid(register([container('app')], { cpu, memory }));
    expect(task.cpu).toBe(cpuUnits);
    expect(task.memory).toBe(mib);
  });

  it('reads volumes with docker volume defaults', () => {
    const task = valid(
      register([container('app')], {
        volumes: [
          { name: 'scratch' },
          { name: 'host', host: { sourcePath: '/tmp/x' } },
          { name: 'docker', dockerVolumeConfiguration: { driver: 'local' } },
          {
            name: 'shared',
            dockerVolumeConfiguration: {
              scope: 'shared',
              autoprovision: true,
              driverOpts: { type: 'tmpfs' },
              labels: { a: 'b' },
            },
          },
        ],
      }),
    );
    expect(task.volumes).toEqual([
      { name: 'scratch' },
      { name: 'host', host: { sourcePath: '/tmp/x' } },
      {
        name: 'docker',
        dockerVolumeConfiguration: {
          scope: 'task',
          autoprovision: false,
          driver: 'local',
          driverOpts: {},
          labels: {},
        },
      },
      {
        name: 'shared',
        dockerVolumeConfiguration: {
          scope: 'shared',
          autoprovision: true,
          driverOpts: { type: 'tmpfs' },
          labels: { a: 'b' },
        },
      },
    ]);
  });

  it('reads every applied container field', () => {
    const full = container('app', {
      essential: false,
      command: ['run'],
      entryPoint: ['/bin/sh', '-c'],
      environment: [{ name: 'A', value: '1' }, { name: 'EMPTY' }],
      environmentFiles: [{ value: 'arn:aws:s3:::bucket/app.env', type: 's3' }],
      secrets: [{ name: 'PW', valueFrom: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:pw' }],
      workingDirectory: '/srv',
      user: '1000:1000',
      memory: 512,
      memoryReservation: 256,
      cpu: 128,
      ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }],
      linuxParameters: {
        capabilities: { add: ['NET_ADMIN'] },
        devices: [{ hostPath: '/dev/fuse', permissions: ['read', 'write'] }],
        initProcessEnabled: true,
        sharedMemorySize: 64,
        tmpfs: [{ containerPath: '/run', size: 16 }],
      },
      readonlyRootFilesystem: true,
      privileged: true,
      dockerLabels: { 'com.example.team': 'core' },
      extraHosts: [{ hostname: 'db.local', ipAddress: '10.0.0.5' }],
      dnsServers: ['1.1.1.1'],
      hostname: 'app-host',
      stopTimeout: 10,
      startTimeout: 0,
      logConfiguration: { logDriver: 'json-file', options: { 'max-size': '10m' } },
      repositoryCredentials: {
        credentialsParameter: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:reg',
      },
    });
    const task = valid(register([full, container('main')]));
    expect(task.containerDefinitions[0]).toEqual({
      name: 'app',
      image: 'busybox:1.36',
      essential: false,
      command: ['run'],
      entryPoint: ['/bin/sh', '-c'],
      environment: [
        { name: 'A', value: '1' },
        { name: 'EMPTY', value: '' },
      ],
      environmentFiles: [{ value: 'arn:aws:s3:::bucket/app.env', type: 's3' }],
      secrets: [{ name: 'PW', valueFrom: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:pw' }],
      workingDirectory: '/srv',
      user: '1000:1000',
      memory: 512,
      memoryReservation: 256,
      cpu: 128,
      ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }],
      linuxParameters: {
        capabilities: { add: ['NET_ADMIN'], drop: [] },
        devices: [{ hostPath: '/dev/fuse', permissions: ['read', 'write'] }],
        initProcessEnabled: true,
        sharedMemorySize: 64,
        tmpfs: [{ containerPath: '/run', size: 16 }],
      },
      mountPoints: [],
      volumesFrom: [],
      readonlyRootFilesystem: true,
      privileged: true,
      dockerLabels: { 'com.example.team': 'core' },
      extraHosts: [{ hostname: 'db.local', ipAddress: '10.0.0.5' }],
      dnsServers: ['1.1.1.1'],
      hostname: 'app-host',
      portMappings: [],
      stopTimeout: 10,
      startTimeout: 0,
      dependsOn: [],
      logConfiguration: { logDriver: 'json-file', options: { 'max-size': '10m' } },
      repositoryCredentials: {
        credentialsParameter: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:reg',
      },
    });
  });

  it('reads task-level roles, compatibilities, pid and ipc modes', () => {
    const task = valid(
      register([container('app')], {
        taskRoleArn: 'arn:aws:iam::000000000000:role/task',
        executionRoleArn: 'arn:aws:iam::000000000000:role/exec',
        requiresCompatibilities: ['EC2'],
        pidMode: 'task',
        ipcMode: 'none',
      }),
    );
    expect(task).toMatchObject({
      taskRoleArn: 'arn:aws:iam::000000000000:role/task',
      executionRoleArn: 'arn:aws:iam::000000000000:role/exec',
      requiresCompatibilities: ['EC2'],
      pidMode: 'task',
      ipcMode: 'none',
    });
  });

  it('treats null as absent (Terraform jsonencode)', () => {
    const task = valid(
      register([
        container('app', {
          memory: null,
          healthCheck: null,
          portMappings: [{ containerPort: 80, hostPort: null }],
        }),
      ]),
    );
    expect(task.containerDefinitions[0]?.memory).toBeUndefined();
    expect(task.containerDefinitions[0]?.portMappings).toEqual([{ containerPort: 80, protocol: 'tcp' }]);
  });

  it('keeps dependsOn in order', () => {
    const task = valid(
      register([
        container('db', { healthCheck: { command: ['CMD', 'true'] } }),
        container('init', { essential: false }),
        container('app', {
          dependsOn: [
            { containerName: 'db', condition: 'HEALTHY' },
            { containerName: 'init', condition: 'SUCCESS' },
          ],
        }),
      ]),
    );
    expect(task.containerDefinitions[2]?.dependsOn).toEqual([
      { containerName: 'db', condition: 'HEALTHY' },
      { containerName: 'init', condition: 'SUCCESS' },
    ]);
  });
});
