import { describe, expect, it } from 'vitest';
import { checkOverrides } from '../engine/container-config.js';
import { envEntryProblem, shownName } from './env-safety.js';
import { parseTaskDefinition } from './parse-task-definition.js';

describe('envEntryProblem', () => {
  it('names what Docker refuses, never echoing the value', () => {
    expect(envEntryProblem('A', 'fine = value')).toBeUndefined();
    expect(envEntryProblem('A', 'x\0y')).toBe('contains a NUL byte');
    expect(envEntryProblem('A\0B', 'v')).toBe('has a NUL byte in its name');
    expect(envEntryProblem('A=B', 'v')).toBe('has "=" in its name');
    expect(envEntryProblem('', 'v')).toBe('has an empty name');
    expect(shownName('A\0B')).toBe('"A\\u0000B"');
    expect(shownName('DB_PASSWORD')).toBe('DB_PASSWORD');
  });
});

describe('environment Docker would refuse', () => {
  it('is a validation error at the exact path', () => {
    const result = parseTaskDefinition(
      JSON.stringify({
        family: 'f',
        containerDefinitions: [
          {
            name: 'app',
            image: 'x',
            memory: 64,
            environment: [
              { name: 'OK', value: 'v' },
              { name: 'BAD', value: 'a\u0000b-value' },
              { name: 'A=B', value: 'v' },
            ],
            secrets: [{ name: 'S=1', valueFrom: '/p' }],
          },
        ],
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.path, e.message])).toEqual([
      [
        'containerDefinitions[0].environment[1].value',
        'environment variable BAD contains a NUL byte, which Docker refuses',
      ],
      [
        'containerDefinitions[0].environment[2].name',
        'environment variable A=B has "=" in its name, which Docker refuses',
      ],
      ['containerDefinitions[0].secrets[0].name', 'secret S=1 has "=" in its name, which Docker refuses'],
    ]);
    expect(JSON.stringify(result.errors)).not.toContain('b-value');
  });

  it('is refused in RunTask overrides, naming the path', () => {
    const parsed = parseTaskDefinition(JSON.stringify([{ name: 'app', image: 'x' }]));
    if (!parsed.ok) throw new Error('expected valid');
    expect(
      checkOverrides(parsed.taskDefinition, {
        containerOverrides: [{ name: 'app', environment: [{ name: 'K', value: 'top\u0000secret' }] }],
      }),
    ).toBe(
      'overrides.containerOverrides[0].environment[0]: environment variable K contains a NUL byte, which Docker refuses',
    );
  });
});
