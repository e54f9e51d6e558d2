import { describe, expect, it } from 'vitest';
import { container, errorLines, FARGATE_TASK, register } from './test-helpers.js';

const HC = { command: ['CMD-SHELL', 'exit 0'] };
const dep = (containerName: unknown, condition: unknown = 'START') => ({ containerName, condition });

/** [rule, input, exact `path: message` errors]. Every §1 rule and every type rule appears here. */
const cases: [string, unknown, string[]][] = [
  // §1: containers and names
  [
    'no containers (empty array)',
    register([]),
    ['containerDefinitions: a task definition needs at least one container; containerDefinitions is empty'],
  ],
  [
    'no containers (missing)',
    { family: 'x' },
    [
      'containerDefinitions: containerDefinitions is required: a task definition needs at least one container',
    ],
  ],
  [
    'no containers (bare empty array)',
    [],
    ['containerDefinitions: a task definition needs at least one container; containerDefinitions is empty'],
  ],
  [
    'containerDefinitions not an array',
    register({} as unknown as unknown[]),
    ['containerDefinitions: containerDefinitions must be an array, got an object'],
  ],
  [
    'a container that is not an object',
    register(['app', container('b')]),
    ['containerDefinitions[0]: a container definition must be an object, got string "app"'],
  ],
  [
    'duplicate container names',
    register([container('app'), container('db'), container('app')]),
    [
      "containerDefinitions[2].name: duplicate container name 'app' (also used by containerDefinitions[0]); names must be unique within a task definition",
    ],
  ],
  ...['my app', 'a.b', '', 'x'.repeat(256), 'ünïcode'].map((name): [string, unknown, string[]] => [
    `invalid container name ${JSON.stringify(name.slice(0, 10))}`,
    register([container(name)]),
    [
      `containerDefinitions[0].name: container name '${name}' is invalid: use 1 to 255 letters, numbers, hyphens and underscores`,
    ],
  ]),
  ['name missing', register([{ image: 'x' }]), ['containerDefinitions[0].name: name is required']],
  [
    'name not a string',
    register([{ name: 5, image: 'x' }]),
    ['containerDefinitions[0].name: name must be a string, got number 5'],
  ],
  [
    'no essential container',
    register([container('a', { essential: false }), container('b', { essential: false })]),
    ['containerDefinitions: at least one container must be essential (essential defaults to true)'],
  ],
  // §1: dependsOn
  ...['start', 'healthy', 'RUNNING', ''].map((condition): [string, unknown, string[]] => [
    `dependsOn condition '${condition}'`,
    register([container('db'), container('app', { dependsOn: [dep('db', condition)] })]),
    [
      `containerDefinitions[1].dependsOn[0].condition: Container dependency condition '${condition}' is invalid. Valid values are: START, COMPLETE, SUCCESS, HEALTHY`,
    ],
  ]),
  [
    'dependsOn condition missing',
    register([container('db'), container('app', { dependsOn: [{ containerName: 'db' }] })]),
    [
      'containerDefinitions[1].dependsOn[0].condition: Container dependency is missing required field: condition',
    ],
  ],
  [
    'dependsOn containerName missing',
    register([container('db'), container('app', { dependsOn: [{ condition: 'START' }] })]),
    [
      'containerDefinitions[1].dependsOn[0].containerName: Container dependency is missing required field: containerName',
    ],
  ],
  [
    'dependsOn containerName not a string',
    register([container('app', { dependsOn: [dep(7)] })]),
    ['containerDefinitions[0].dependsOn[0].containerName: containerName must be a string, got number 7'],
  ],
  [
    'dependsOn not an array',
    register([container('app', { dependsOn: { containerName: 'db' } })]),
    ['containerDefinitions[0].dependsOn: dependsOn must be an array, got an object'],
  ],
  [
    'dependsOn unknown container',
    register([container('app', { dependsOn: [dep('database')] })]),
    [
      "containerDefinitions[0].dependsOn[0].containerName: Container dependency references container 'database', which is not defined in this task definition",
    ],
  ],
  [
    'self dependency',
    register([container('a', { dependsOn: [dep('a')] })]),
    [
      "containerDefinitions[0].dependsOn[0]: Container dependency between 'a' and 'a' is cyclic; dependsOn graph must be acyclic",
    ],
  ],
  [
    'two-container cycle',
    register([container('a', { dependsOn: [dep('b')] }), container('b', { dependsOn: [dep('a')] })]),
    [
      "containerDefinitions[1].dependsOn[0]: Container dependency between 'a' and 'b' is cyclic; dependsOn graph must be acyclic",
    ],
  ],
  [
    'three-container cycle beside a valid chain',
    register([
      container('ok'),
      container('a', { dependsOn: [dep('ok'), dep('c')] }),
      container('b', { dependsOn: [dep('a')] }),
      container('c', { dependsOn: [dep('b')] }),
    ]),
    [
      "containerDefinitions[2].dependsOn[0]: Container dependency between 'a' and 'b' is cyclic; dependsOn graph must be acyclic",
    ],
  ],
  [
    'HEALTHY on an upstream without healthCheck',
    register([container('db'), container('app', { dependsOn: [dep('db', 'HEALTHY')] })]),
    [
      "containerDefinitions[1].dependsOn[0].condition: Container dependency condition HEALTHY requires container 'db' to define a healthCheck",
    ],
  ],
  [
    'HEALTHY on an upstream whose healthCheck is NONE',
    register([
      container('db', { healthCheck: { command: ['NONE'] } }),
      container('app', { dependsOn: [dep('db', 'HEALTHY')] }),
    ]),
    [
      "containerDefinitions[1].dependsOn[0].condition: Container dependency condition HEALTHY requires container 'db' to define a healthCheck",
    ],
  ],
  // §1: health check
  ...(
    [
      ['interval', 4, 'interval must be an integer between 5 and 300 seconds, got 4'],
      ['interval', 301, 'interval must be an integer between 5 and 300 seconds, got 301'],
      ['timeout', 1, 'timeout must be an integer between 2 and 60 seconds, got 1'],
      ['timeout', 61, 'timeout must be an integer between 2 and 60 seconds, got 61'],
      ['retries', 0, 'retries must be an integer between 1 and 10, got 0'],
      ['retries', 11, 'retries must be an integer between 1 and 10, got 11'],
      ['startPeriod', -1, 'startPeriod must be an integer between 0 and 300 seconds, got -1'],
      ['startPeriod', 301, 'startPeriod must be an integer between 0 and 300 seconds, got 301'],
      ['interval', 7.5, 'interval must be an integer between 5 and 300 seconds, got number 7.5'],
      ['interval', '30', 'interval must be an integer between 5 and 300 seconds, got string "30"'],
    ] as const
  ).map(([key, value, message]): [string, unknown, string[]] => [
    `healthCheck ${key} ${String(value)}`,
    register([container('app', { healthCheck: { ...HC, [key]: value } })]),
    [`containerDefinitions[0].healthCheck.${key}: ${message}`],
  ]),
  [
    'healthCheck command empty',
    register([container('app', { healthCheck: { command: [] } })]),
    [
      'containerDefinitions[0].healthCheck.command: healthCheck command must not be empty; its first element is CMD, CMD-SHELL or NONE',
    ],
  ],
  [
    'healthCheck command missing',
    register([container('app', { healthCheck: { interval: 10 } })]),
    [
      'containerDefinitions[0].healthCheck.command: healthCheck command is required, e.g. ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]',
    ],
  ],
  [
    'healthCheck CMD without a command',
    register([container('app', { healthCheck: { command: ['CMD-SHELL'] } })]),
    [
      "containerDefinitions[0].healthCheck.command: healthCheck command 'CMD-SHELL' needs the command to run after it",
    ],
  ],
  [
    'healthCheck command a string',
    register([container('app', { healthCheck: { command: 'curl x' } })]),
    ['containerDefinitions[0].healthCheck.command: command must be an array of strings, got string "curl x"'],
  ],
  [
    'healthCheck not an object',
    register([container('app', { healthCheck: ['CMD', 'x'] })]),
    ['containerDefinitions[0].healthCheck: healthCheck must be an object, got an array'],
  ],
  // §1: timeouts, memory, ports
  [
    'stopTimeout 0',
    register([container('app', { stopTimeout: 0 })]),
    ['containerDefinitions[0].stopTimeout: stopTimeout must be an integer between 1 and 120 seconds, got 0'],
  ],
  [
    'stopTimeout 121',
    register([container('app', { stopTimeout: 121 })]),
    [
      'containerDefinitions[0].stopTimeout: stopTimeout must be an integer between 1 and 120 seconds, got 121',
    ],
  ],
  [
    'startTimeout -1',
    register([container('app', { startTimeout: -1 })]),
    ['containerDefinitions[0].startTimeout: startTimeout must be an integer of at least 0 seconds, got -1'],
  ],
  [
    'memory 5',
    register([container('app', { memory: 5 })]),
    ['containerDefinitions[0].memory: memory must be an integer of at least 6 MiB, got 5'],
  ],
  [
    'memoryReservation 2',
    register([container('app', { memoryReservation: 2 })]),
    [
      'containerDefinitions[0].memoryReservation: memoryReservation must be an integer of at least 6 MiB, got 2',
    ],
  ],
  [
    'memoryReservation above memory',
    register([container('app', { memory: 128, memoryReservation: 256 })]),
    [
      'containerDefinitions[0].memoryReservation: memoryReservation (256 MiB) must not be greater than memory (128 MiB)',
    ],
  ],
  [
    'memory a string',
    register([container('app', { memory: '512' })]),
    ['containerDefinitions[0].memory: memory must be an integer of at least 6 MiB, got string "512"'],
  ],
  [
    'cpu negative',
    register([container('app', { cpu: -1 })]),
    ['containerDefinitions[0].cpu: cpu must be an integer of at least 0 CPU units, got -1'],
  ],
  [
    'containerPort too large',
    register([container('app', { portMappings: [{ containerPort: 65536 }] })]),
    [
      'containerDefinitions[0].portMappings[0].containerPort: containerPort must be an integer between 0 and 65535, got 65536',
    ],
  ],
  [
    'containerPort missing',
    register([container('app', { portMappings: [{ hostPort: 80 }] })]),
    ['containerDefinitions[0].portMappings[0].containerPort: containerPort is required'],
  ],
  [
    'containerPort a string',
    register([container('app', { portMappings: [{ containerPort: '80' }] })]),
    [
      'containerDefinitions[0].portMappings[0].containerPort: containerPort must be an integer between 0 and 65535, got string "80"',
    ],
  ],
  [
    'hostPort negative',
    register([container('app', { portMappings: [{ containerPort: 80, hostPort: -1 }] })]),
    [
      'containerDefinitions[0].portMappings[0].hostPort: hostPort must be an integer between 0 and 65535, got -1',
    ],
  ],
  [
    'protocol invalid',
    register([container('app', { portMappings: [{ containerPort: 80, protocol: 'TCP' }] })]),
    ["containerDefinitions[0].portMappings[0].protocol: protocol must be one of tcp, udp, got 'TCP'"],
  ],
  [
    'awsvpc hostPort differs',
    register([container('app', { portMappings: [{ containerPort: 8080, hostPort: 80 }] })], {
      networkMode: 'awsvpc',
    }),
    [
      'containerDefinitions[0].portMappings[0].hostPort: hostPort must equal containerPort (8080) in awsvpc network mode, got 80',
    ],
  ],
  [
    'host hostPort differs',
    register([container('app', { portMappings: [{ containerPort: 8080, hostPort: 0 }] })], {
      networkMode: 'host',
    }),
    [
      'containerDefinitions[0].portMappings[0].hostPort: hostPort must equal containerPort (8080) in host network mode, got 0',
    ],
  ],
  [
    'FARGATE default awsvpc hostPort differs',
    register([container('app', { portMappings: [{ containerPort: 80, hostPort: 8080 }] })], FARGATE_TASK),
    [
      'containerDefinitions[0].portMappings[0].hostPort: hostPort must equal containerPort (80) in awsvpc network mode, got 8080',
    ],
  ],
];

describe('validation rules', () => {
  it.each(cases)('%s', (_rule, input, expected) => {
    expect(errorLines(input)).toEqual(expected);
  });
});

describe('collecting every error', () => {
  it('reports all problems of a definition at once, with exact paths', () => {
    const errors = errorLines({
      networkMode: 'awsvpc',
      containerDefinitions: [
        container('db', { memory: 2 }),
        container('db', { image: '' }),
        container('app', {
          essential: false,
          stopTimeout: 500,
          portMappings: [{ containerPort: 80, hostPort: 81 }],
          dependsOn: [dep('db', 'HEALTHY'), dep('cache', 'ready'), { condition: 'START' }],
        }),
      ],
    });
    expect(errors).toEqual([
      'family: family is required',
      'containerDefinitions[0].memory: memory must be an integer of at least 6 MiB, got 2',
      'containerDefinitions[1].image: image must not be empty',
      "containerDefinitions[2].dependsOn[1].condition: Container dependency condition 'ready' is invalid. Valid values are: START, COMPLETE, SUCCESS, HEALTHY",
      'containerDefinitions[2].dependsOn[2].containerName: Container dependency is missing required field: containerName',
      'containerDefinitions[2].portMappings[0].hostPort: hostPort must equal containerPort (80) in awsvpc network mode, got 81',
      'containerDefinitions[2].stopTimeout: stopTimeout must be an integer between 1 and 120 seconds, got 500',
      "containerDefinitions[1].name: duplicate container name 'db' (also used by containerDefinitions[0]); names must be unique within a task definition",
      "containerDefinitions[2].dependsOn[0].condition: Container dependency condition HEALTHY requires container 'db' to define a healthCheck",
      "containerDefinitions[2].dependsOn[1].containerName: Container dependency references container 'cache', which is not defined in this task definition",
    ]);
  });

  it('an invalid upstream health check does not also trigger the HEALTHY rule', () => {
    expect(
      errorLines(
        register([
          container('db', { healthCheck: { command: ['CMD', 'x'], interval: 1 } }),
          container('app', { dependsOn: [dep('db', 'HEALTHY')] }),
        ]),
      ),
    ).toEqual([
      'containerDefinitions[0].healthCheck.interval: interval must be an integer between 5 and 300 seconds, got 1',
    ]);
  });

  it('accepts the boundaries', () => {
    expect(
      errorLines(
        register([
          container('db', {
            memory: 6,
            memoryReservation: 6,
            stopTimeout: 1,
            startTimeout: 0,
            healthCheck: { command: ['CMD', 'x'], interval: 300, timeout: 60, retries: 10, startPeriod: 300 },
            portMappings: [{ containerPort: 0 }, { containerPort: 65535, hostPort: 65535, protocol: 'udp' }],
          }),
          container('app', {
            stopTimeout: 120,
            healthCheck: { command: ['CMD-SHELL', 'x'], interval: 5, timeout: 2, retries: 1, startPeriod: 0 },
            dependsOn: ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'].map((condition) => dep('db', condition)),
          }),
        ]),
      ),
    ).toEqual([]);
  });
});
