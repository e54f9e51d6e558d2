import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FAMILY,
  detectShape,
  familyFromFileName,
  parseTaskDefinition,
  validateTaskDefinitionObject,
} from './parse-task-definition.js';
import { container, errorLines, parseValue, register, valid, warningLines } from './test-helpers.js';

describe('accepted shapes', () => {
  const containers = [
    container('app', { dependsOn: [{ containerName: 'db', condition: 'START' }] }),
    container('db'),
  ];

  it('RegisterTaskDefinition input', () => {
    const task = valid(register(containers, { family: 'web' }));
    expect(task.family).toBe('web');
    expect(task.revision).toBe(1);
    expect(task.containerDefinitions.map((c) => c.name)).toEqual(['app', 'db']);
  });

  it('DescribeTaskDefinition output: revision used, read-only fields ignored without warning', () => {
    const describe = {
      taskDefinition: {
        ...register(containers, { family: 'web' }),
        revision: 12,
        taskDefinitionArn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/web:12',
        status: 'ACTIVE',
        requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
        compatibilities: ['EC2', 'FARGATE'],
        registeredAt: '2025-01-01T00:00:00Z',
        registeredBy: 'arn:aws:iam::000000000000:user/me',
        deregisteredAt: '2025-02-01T00:00:00Z',
      },
      tags: [{ key: 'a', value: 'b' }],
    };
    const result = parseValue(describe);
    expect(result).toMatchObject({ ok: true, warnings: [], taskDefinition: { family: 'web', revision: 12 } });
  });

  it('the inner object of a DescribeTaskDefinition output on its own', () => {
    expect(valid(register(containers, { revision: 3, status: 'ACTIVE' })).revision).toBe(3);
  });

  it('bare containerDefinitions array: family from the file name', () => {
    expect(valid(containers, '/defs/my-service.json').family).toBe('my-service');
    expect(valid(containers).family).toBe(DEFAULT_FAMILY);
  });

  it('paths are relative to the task definition in every shape', () => {
    const bad = [container('app'), container('app')];
    const expected = [
      "containerDefinitions[1].name: duplicate container name 'app' (also used by containerDefinitions[0]); names must be unique within a task definition",
    ];
    expect(errorLines(bad)).toEqual(expected);
    expect(errorLines(register(bad))).toEqual(expected);
    expect(errorLines({ taskDefinition: register(bad) })).toEqual(expected);
  });

  it('line and column point into the file as written, whatever the shape', () => {
    const text =
      '{\n  "taskDefinition": {\n    "family": "x",\n    "containerDefinitions": [\n      {"name": "a b", "image": "i"}\n    ]\n  }\n}';
    const result = parseTaskDefinition(text);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]).toMatchObject({ path: 'containerDefinitions[0].name', line: 5, column: 8 });
    const bare = parseTaskDefinition('[\n  {"image": "i"}\n]');
    if (!bare.ok)
      expect(bare.errors[0]).toMatchObject({ path: 'containerDefinitions[0].name', line: 2, column: 3 });
    else throw new Error('expected an error');
  });

  it('warns about unknown keys next to taskDefinition', () => {
    expect(warningLines({ taskDefinition: register(containers), ResponseMetadata: {} })).toEqual([
      ": unknown field 'ResponseMetadata' next to taskDefinition is ignored",
    ]);
  });

  it.each([
    ['a string', '"web"'],
    ['a number', '42'],
    ['null', 'null'],
  ])('refuses %s at the root', (_name, text) => {
    const result = parseTaskDefinition(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]?.path).toBe('');
      expect(result.errors[0]?.message).toMatch(/^expected a task definition object/);
    }
  });

  it.each([
    [[], 'container-definitions'],
    [{ taskDefinition: {} }, 'describe-output'],
    [{ family: 'x' }, 'register-input'],
    [{ taskDefinition: 'x' }, 'register-input'],
  ])('detectShape(%j) = %s', (value, shape) => {
    expect(detectShape(value)).toBe(shape);
  });

  it.each([
    [undefined, DEFAULT_FAMILY],
    ['', DEFAULT_FAMILY],
    ['web.json', 'web'],
    ['dir/sub/my.app.json', 'my-app'],
    ['C:\\defs\\my app.json', 'my-app'],
    ['noext', 'noext'],
    ['...json', DEFAULT_FAMILY],
  ])('familyFromFileName(%j) = %s', (fileName, family) => {
    expect(familyFromFileName(fileName)).toBe(family);
  });

  it('validateTaskDefinitionObject accepts parsed values', () => {
    expect(validateTaskDefinitionObject(register([container('a')]))).toMatchObject({ ok: true });
    expect(validateTaskDefinitionObject([container('a')], { fileName: 'x.json' })).toMatchObject({
      ok: true,
      taskDefinition: { family: 'x' },
    });
  });

  it('syntax errors come back as a single located error', () => {
    expect(parseTaskDefinition('{\n  "family": "x",\n}')).toMatchObject({
      ok: false,
      warnings: [],
      errors: [{ path: '', line: 3, column: 1 }],
    });
  });
});
