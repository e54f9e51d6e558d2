/** Input ECS refuses or that is not JSON at all: the 64 KiB limit, UTF-16 text and YAML. */
import { describe, expect, it } from 'vitest';
import { parseTaskDefinition } from './parse-task-definition.js';
import { container, errorLines, register } from './test-helpers.js';

const definition = (valueLength: number) =>
  register([container('app', { environment: [{ name: 'BIG', value: 'x'.repeat(valueLength) }] })]);
const compactBytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).length;

describe('64 KiB limit', () => {
  it('accepts a definition of exactly 64 KiB as compact JSON, however it is indented', () => {
    const base = compactBytes(definition(0));
    const exact = definition(65536 - base);
    expect(compactBytes(exact)).toBe(65536);
    expect(parseTaskDefinition(JSON.stringify(exact, null, 8)).ok).toBe(true);
  });

  it('refuses one byte more', () => {
    const base = compactBytes(definition(0));
    expect(errorLines(definition(65537 - base))).toEqual([
      ': the task definition is 65537 bytes as compact JSON; ECS refuses task definitions larger than 64 KiB (65536 bytes): move large values (e.g. inline config in environment) to environmentFiles, secrets or the image',
    ]);
  });

  it('counts bytes, not characters', () => {
    const base = compactBytes(definition(0));
    const result = parseTaskDefinition(
      JSON.stringify(definition(0)).replace('""', `"${'é'.repeat((65536 - base) / 2 + 1)}"`),
    );
    expect(result.ok).toBe(false);
  });
});

describe('files that are not JSON', () => {
  const json = JSON.stringify(register([container('app')]), null, 2);

  it('UTF-16 with a byte-order mark, read as UTF-8', () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...[...json].flatMap((c) => [c.charCodeAt(0), 0])]);
    const text = new TextDecoder('utf-8').decode(bytes);
    const result = parseTaskDefinition(text);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      'Not a JSON file: the file is UTF-16 encoded text; a task definition must be UTF-8 JSON. Save it as UTF-8 (in PowerShell, `Out-File -Encoding utf8` or `Set-Content -Encoding utf8` instead of `>`)',
    ]);
  });

  it('UTF-16 big-endian without a byte-order mark', () => {
    const bytes = new Uint8Array([...json].flatMap((c) => [0, c.charCodeAt(0)]));
    const result = parseTaskDefinition(new TextDecoder('utf-8').decode(bytes));
    expect(result.ok ? '' : result.errors[0]?.message).toMatch(
      /^Not a JSON file: the file is UTF-16 encoded text/,
    );
  });

  it.each([
    [
      'a CloudFormation-style mapping',
      'family: web\ncontainerDefinitions:\n  - name: app\n    image: nginx\n',
    ],
    ['a document start', '---\nfamily: web\n'],
    ['a list', '# containers\n- name: app\n  image: nginx\n'],
  ])('YAML: %s', (_label, text) => {
    const result = parseTaskDefinition(text);
    expect(result.ok ? [] : result.errors).toEqual([
      {
        path: '',
        line: 1,
        column: 1,
        message:
          'Not a JSON file: the file looks like YAML; a task definition must be JSON: the register-task-definition input (`aws ecs register-task-definition --generate-cli-skeleton`), DescribeTaskDefinition output, or a containerDefinitions array. Convert it first, e.g. `yq -o=json . file.yaml`',
      },
    ]);
  });

  it.each([
    ['a stray bracket', '{"family": "web",\n  "containerDefinitions": [}'],
    ['missing braces (quoted keys are JSON, not YAML)', '"family": "web",\n"containerDefinitions": []'],
  ])('broken JSON is still reported as a JSON syntax error: %s', (_label, text) => {
    const result = parseTaskDefinition(text);
    expect(result.ok ? '' : result.errors[0]?.message).toMatch(/^JSON syntax error: /);
  });
});
