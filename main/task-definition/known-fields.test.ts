import { describe, expect, it } from 'vitest';
import { parseTaskDefinition } from './parse-task-definition.js';
import { CONTAINER_FIELDS, TASK_DEFINITION_FIELDS, suggestField } from './known-fields.js';
import { container, parseValue, register, valid, warningLines } from './test-helpers.js';

describe('unknown fields', () => {
  it.each<[string, unknown, string]>([
    [
      'task level',
      register([container('app')], { famly: 'x' }),
      "famly: unknown field 'famly' is ignored (did you mean 'family'?)",
    ],
    [
      'container level',
      register([container('app', { imagePullPolicy: 'always' })]),
      "containerDefinitions[0].imagePullPolicy: unknown field 'imagePullPolicy' is ignored",
    ],
    [
      'typo with suggestion',
      register([container('app', { Essential: true })]),
      "containerDefinitions[0].Essential: unknown field 'Essential' is ignored (did you mean 'essential'?)",
    ],
    [
      'port mapping',
      register([container('app', { portMappings: [{ containerPort: 80, published: true }] })]),
      "containerDefinitions[0].portMappings[0].published: unknown field 'published' is ignored",
    ],
    [
      'health check',
      register([container('app', { healthCheck: { command: ['CMD', 'x'], intervall: 10 } })]),
      "containerDefinitions[0].healthCheck.intervall: unknown field 'intervall' is ignored (did you mean 'interval'?)",
    ],
    [
      'dependsOn entry',
      register([
        container('db'),
        container('app', { dependsOn: [{ containerName: 'db', condition: 'START', timeout: 5 }] }),
      ]),
      "containerDefinitions[1].dependsOn[0].timeout: unknown field 'timeout' is ignored",
    ],
    [
      'environment entry',
      register([container('app', { environment: [{ name: 'A', value: 'b', secret: true }] })]),
      "containerDefinitions[0].environment[0].secret: unknown field 'secret' is ignored",
    ],
    [
      'volume',
      register([container('app')], { volumes: [{ name: 'v', hostPath: '/x' }] }),
      "volumes[0].hostPath: unknown field 'hostPath' is ignored",
    ],
    [
      'docker volume',
      register([container('app')], { volumes: [{ name: 'v', dockerVolumeConfiguration: { size: 1 } }] }),
      "volumes[0].dockerVolumeConfiguration.size: unknown field 'size' is ignored",
    ],
    [
      'linuxParameters',
      register([container('app', { linuxParameters: { init: true } })]),
      "containerDefinitions[0].linuxParameters.init: unknown field 'init' is ignored",
    ],
    [
      'a key that is not an identifier',
      register([container('app', { 'my-field': 1 })]),
      'containerDefinitions[0]["my-field"]: unknown field \'my-field\' is ignored',
    ],
    [
      'a key named like an Object member',
      register([container('app', { constructor: 1 })]),
      "containerDefinitions[0].constructor: unknown field 'constructor' is ignored",
    ],
  ])('%s', (_name, input, warning) => {
    expect(warningLines(input)).toEqual([warning]);
  });

  it('warnings do not make a definition invalid', () => {
    expect(valid(register([container('app', { foo: 1 })]))).toBeDefined();
  });
});

describe('valid in ECS but not applied locally', () => {
  const taskLevel: [string, unknown][] = [
    ['placementConstraints', [{ type: 'memberOf', expression: 'x' }]],
    ['proxyConfiguration', { containerName: 'envoy' }],
    ['inferenceAccelerators', [{ deviceName: 'd', deviceType: 'eia2.medium' }]],
    ['ephemeralStorage', { sizeInGiB: 30 }],
    ['runtimePlatform', { cpuArchitecture: 'ARM64' }],
  ];
  it.each(taskLevel)('task field %s', (key, value) => {
    const warnings = warningLines(register([container('app')], { [key]: value }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`^${key}: ${key} is valid in ECS but not applied locally`));
  });

  const containerLevel: [string, unknown][] = [
    ['disableNetworking', true],
    ['interactive', true],
    ['pseudoTerminal', true],
    ['systemControls', [{ namespace: 'net.core.somaxconn', value: '1024' }]],
    ['resourceRequirements', [{ type: 'GPU', value: '1' }]],
    ['dockerSecurityOptions', ['no-new-privileges']],
    ['firelensConfiguration', { type: 'fluentbit' }],
    ['restartPolicy', { enabled: true }],
  ];
  it.each(containerLevel)('container field %s', (key, value) => {
    const warnings = warningLines(register([container('app', { [key]: value })]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(`^containerDefinitions\\[0\\]\\.${key}: ${key} is valid in ECS but not applied locally`),
    );
  });

  it.each([
    ['efsVolumeConfiguration', { fileSystemId: 'fs-1' }],
    ['fsxWindowsFileServerVolumeConfiguration', { fileSystemId: 'fs-1' }],
  ])('volume field %s', (key, value) => {
    const warnings = warningLines(register([container('app')], { volumes: [{ name: 'v', [key]: value }] }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      new RegExp(
        `^volumes\\[0\\]\\.${key}: ${key} is valid in ECS but not applied locally: .*empty local volume`,
      ),
    );
  });

  it.each(['splunk', 'fluentd', 'awsfirelens', 'syslog'])('log driver %s', (logDriver) => {
    expect(warningLines(register([container('app', { logConfiguration: { logDriver } })]))).toEqual([
      `containerDefinitions[0].logConfiguration.logDriver: log driver '${logDriver}' is valid in ECS but not applied locally: logs are captured locally`,
    ]);
  });

  it.each(['awslogs', 'json-file'])('log driver %s is applied without warning', (logDriver) => {
    expect(
      warningLines(register([container('app', { logConfiguration: { logDriver, options: { a: 'b' } } })])),
    ).toEqual([]);
  });

  it('stays quiet for empty settings, as DescribeTaskDefinition prints them', () => {
    expect(
      warningLines(
        register(
          [
            container('app', {
              systemControls: [],
              links: [],
              disableNetworking: false,
              dockerSecurityOptions: [],
            }),
          ],
          {
            placementConstraints: [],
          },
        ),
      ),
    ).toEqual([]);
  });

  it('accepts executionRoleArn, taskRoleArn and tags without warning', () => {
    expect(
      warningLines(
        register([container('app')], {
          executionRoleArn: 'arn:x',
          taskRoleArn: 'arn:y',
          tags: [{ key: 'a', value: 'b' }],
        }),
      ),
    ).toEqual([]);
  });
});

describe('other warnings', () => {
  it('FARGATE with a non-awsvpc network mode', () => {
    expect(
      warningLines(
        register([container('app')], { requiresCompatibilities: ['FARGATE'], networkMode: 'bridge' }),
      ),
    ).toEqual([
      "networkMode: ECS requires networkMode awsvpc for FARGATE; running with 'bridge' locally as written",
    ]);
  });

  it('port mappings in none mode', () => {
    expect(
      warningLines(
        register([container('app', { portMappings: [{ containerPort: 80 }] })], { networkMode: 'none' }),
      ),
    ).toEqual(['containerDefinitions[0].portMappings: portMappings are ignored in none network mode']);
  });

  it('SUCCESS on an essential upstream', () => {
    expect(
      warningLines(
        register([
          container('init'),
          container('app', { dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }] }),
        ]),
      ),
    ).toEqual([
      'containerDefinitions[1].dependsOn[0].condition: condition SUCCESS waits for essential container \'init\' to exit, which stops the task; mark it "essential": false',
    ]);
  });

  it('warnings carry line and column', () => {
    const result = parseTaskDefinition(
      '{\n  "family": "x",\n  "foo": 1,\n  "containerDefinitions": [{"name": "a", "image": "i"}]\n}',
    );
    expect(result.warnings).toEqual([
      { path: 'foo', message: "unknown field 'foo' is ignored", line: 3, column: 3 },
    ]);
  });
});

describe('field tables', () => {
  it('know the common fields', () => {
    expect(TASK_DEFINITION_FIELDS.containerDefinitions).toBe('applied');
    expect(CONTAINER_FIELDS.image).toBe('applied');
    expect(CONTAINER_FIELDS.links).toBe('applied');
    expect(typeof CONTAINER_FIELDS.systemControls).toBe('object');
  });

  it.each([
    ['imag', ['image', 'name'], 'image'],
    ['IMAGE', ['image'], 'image'],
    ['somethingElse', ['image', 'name'], undefined],
  ])('suggestField(%j) = %j', (key, known, expected) => {
    expect(suggestField(key, known)).toBe(expected);
  });
});

describe('enableExecuteCommand on the task definition', () => {
  it('is accepted (people put it there) and explained: a RunTask flag on ECS, the local default here', () => {
    const input = register([container('app')], { enableExecuteCommand: true });
    expect(valid(input).enableExecuteCommand).toBe(true);
    expect(warningLines(input)).toEqual([
      'enableExecuteCommand: enableExecuteCommand is a RunTask/CreateService parameter on ECS, not a task-definition field (RegisterTaskDefinition would refuse it); Taskdeck uses it as the default for local runs of this definition (ECS Exec enabled)',
    ]);
  });

  it('must be a boolean', () => {
    const result = parseValue(register([container('app')], { enableExecuteCommand: 'yes' }));
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['enableExecuteCommand']);
  });
});
