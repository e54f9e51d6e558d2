import { describe, expect, it } from 'vitest';
import { container, errorLines, register } from './test-helpers.js';

/** [rule, input, exact `path: message` errors]: field types, task-level fields and volumes. */
const cases: [string, unknown, string[]][] = [
  // Type rules
  [
    'image missing',
    register([{ name: 'app', memory: 64 }]),
    ['containerDefinitions[0].image: image is required'],
  ],
  [
    'image empty',
    register([container('app', { image: ' ' })]),
    ['containerDefinitions[0].image: image must not be empty'],
  ],
  [
    'image not a string',
    register([container('app', { image: ['nginx'] })]),
    ['containerDefinitions[0].image: image must be a string, got an array'],
  ],
  [
    'essential not a boolean',
    register([container('app', { essential: 'true' })]),
    ['containerDefinitions[0].essential: essential must be true or false, got string "true"'],
  ],
  [
    'command not an array',
    register([container('app', { command: 'echo hi' })]),
    ['containerDefinitions[0].command: command must be an array of strings, got string "echo hi"'],
  ],
  [
    'command element not a string',
    register([container('app', { command: ['echo', 1] })]),
    ['containerDefinitions[0].command[1]: command[1] must be a string, got number 1'],
  ],
  [
    'environment value not a string',
    register([container('app', { environment: [{ name: 'PORT', value: 80 }] })]),
    ['containerDefinitions[0].environment[0].value: value must be a string, got number 80'],
  ],
  [
    'environment name missing',
    register([container('app', { environment: [{ value: 'x' }] })]),
    ['containerDefinitions[0].environment[0].name: name is required'],
  ],
  [
    'environment entry not an object',
    register([container('app', { environment: ['A=1'] })]),
    ['containerDefinitions[0].environment[0]: environment[0] must be an object, got string "A=1"'],
  ],
  [
    'secret valueFrom missing',
    register([container('app', { secrets: [{ name: 'PW' }] })]),
    ['containerDefinitions[0].secrets[0].valueFrom: valueFrom is required'],
  ],
  [
    'environmentFiles type',
    register([container('app', { environmentFiles: [{ value: 'arn:x', type: 'file' }] })]),
    ["containerDefinitions[0].environmentFiles[0].type: type must be one of s3, got 'file'"],
  ],
  [
    'dockerLabels value not a string',
    register([container('app', { dockerLabels: { 'com.example.n': 1 } })]),
    [
      'containerDefinitions[0].dockerLabels["com.example.n"]: dockerLabels value \'com.example.n\' must be a string, got number 1',
    ],
  ],
  [
    'ulimit name',
    register([container('app', { ulimits: [{ name: 'files', softLimit: 1, hardLimit: 2 }] })]),
    [
      "containerDefinitions[0].ulimits[0].name: name must be one of core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack, got 'files'",
    ],
  ],
  [
    'ulimit soft above hard',
    register([container('app', { ulimits: [{ name: 'nofile', softLimit: 10, hardLimit: 2 }] })]),
    ['containerDefinitions[0].ulimits[0].softLimit: softLimit (10) must not be greater than hardLimit (2)'],
  ],
  [
    'extraHosts ipAddress missing',
    register([container('app', { extraHosts: [{ hostname: 'db' }] })]),
    ['containerDefinitions[0].extraHosts[0].ipAddress: ipAddress is required'],
  ],
  [
    'logConfiguration logDriver missing',
    register([container('app', { logConfiguration: { options: {} } })]),
    ['containerDefinitions[0].logConfiguration.logDriver: logDriver is required'],
  ],
  [
    'linuxParameters tmpfs size missing',
    register([container('app', { linuxParameters: { tmpfs: [{ containerPath: '/run' }] } })]),
    ['containerDefinitions[0].linuxParameters.tmpfs[0].size: size is required'],
  ],
  [
    'linuxParameters device permission',
    register([
      container('app', { linuxParameters: { devices: [{ hostPath: '/dev/x', permissions: ['all'] }] } }),
    ]),
    [
      "containerDefinitions[0].linuxParameters.devices[0].permissions[0]: permissions must be read, write or mknod, got 'all'",
    ],
  ],
  [
    'repositoryCredentials missing parameter',
    register([container('app', { repositoryCredentials: {} })]),
    ['containerDefinitions[0].repositoryCredentials.credentialsParameter: credentialsParameter is required'],
  ],
  [
    'mountPoint containerPath missing',
    register([container('app', { mountPoints: [{ sourceVolume: 'v' }] })], { volumes: [{ name: 'v' }] }),
    ['containerDefinitions[0].mountPoints[0].containerPath: containerPath is required'],
  ],
  // Task-level rules
  ['family missing', { containerDefinitions: [container('app')] }, ['family: family is required']],
  [
    'family invalid',
    register([container('app')], { family: 'my family' }),
    ["family: family 'my family' is invalid: use 1 to 255 letters, numbers, hyphens and underscores"],
  ],
  [
    'networkMode invalid',
    register([container('app')], { networkMode: 'nat' }),
    ["networkMode: networkMode must be one of bridge, host, awsvpc, none, got 'nat'"],
  ],
  [
    'networkMode wrong case',
    register([container('app')], { networkMode: 'AWSVPC' }),
    ["networkMode: networkMode must be one of bridge, host, awsvpc, none, got 'AWSVPC'"],
  ],
  [
    'requiresCompatibilities value',
    register([container('app')], { requiresCompatibilities: ['LAMBDA'] }),
    [
      "requiresCompatibilities[0]: requiresCompatibilities[0] must be one of EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES, got 'LAMBDA'",
    ],
  ],
  [
    'task cpu invalid',
    register([container('app')], { cpu: '2 cores' }),
    ['cpu: cpu must be CPU units (e.g. "256") or vCPUs (e.g. "0.25 vCPU"), got string "2 cores"'],
  ],
  [
    'task memory invalid',
    register([container('app')], { memory: '1 TB' }),
    ['memory: memory must be MiB (e.g. "512") or GB (e.g. "0.5 GB"), got string "1 TB"'],
  ],
  [
    'revision invalid',
    register([container('app')], { revision: 0 }),
    ['revision: revision must be an integer of at least 1, got 0'],
  ],
  [
    'pidMode invalid',
    register([container('app')], { pidMode: 'container' }),
    ["pidMode: pidMode must be one of host, task, got 'container'"],
  ],
  // Volumes
  [
    'mountPoint volume not defined',
    register([container('app', { mountPoints: [{ sourceVolume: 'data', containerPath: '/d' }] })], {
      volumes: [{ name: 'logs' }],
    }),
    [
      "containerDefinitions[0].mountPoints[0].sourceVolume: volume 'data' is not defined in the task definition's volumes",
    ],
  ],
  [
    'volumesFrom unknown container',
    register([container('app', { volumesFrom: [{ sourceContainer: 'storage' }] })]),
    [
      "containerDefinitions[0].volumesFrom[0].sourceContainer: container 'storage' is not defined in this task definition",
    ],
  ],
  [
    'volumesFrom itself',
    register([container('app', { volumesFrom: [{ sourceContainer: 'app' }] })]),
    [
      "containerDefinitions[0].volumesFrom[0].sourceContainer: container 'app' cannot mount volumes from itself",
    ],
  ],
  [
    'volume name missing',
    register([container('app')], { volumes: [{ host: {} }] }),
    ['volumes[0].name: name is required'],
  ],
  [
    'duplicate volume names',
    register([container('app')], { volumes: [{ name: 'v' }, { name: 'v' }] }),
    ["volumes[1].name: duplicate volume name 'v' (also used by volumes[0])"],
  ],
  [
    'docker volume scope',
    register([container('app')], {
      volumes: [{ name: 'v', dockerVolumeConfiguration: { scope: 'global' } }],
    }),
    ["volumes[0].dockerVolumeConfiguration.scope: scope must be one of task, shared, got 'global'"],
  ],
];

describe('type, task-level and volume rules', () => {
  it.each(cases)('%s', (_rule, input, expected) => {
    expect(errorLines(input)).toEqual(expected);
  });
});
