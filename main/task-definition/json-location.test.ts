import { describe, expect, it } from 'vitest';
import {
  findSyntaxErrorOffset,
  isSyntaxIssue,
  offsetToLocation,
  parseJsonDocument,
} from './json-location.js';
import { indexPath, keyPath, parentPath } from './json-path.js';

describe('offsetToLocation', () => {
  it.each([
    ['abc', 0, 1, 1],
    ['abc', 2, 1, 3],
    ['a\nbc', 2, 2, 1],
    ['a\nbc', 3, 2, 2],
    ['a\r\nb', 3, 2, 1],
    ['ab', 99, 1, 3],
    ['ab', -5, 1, 1],
  ])('%j at %i is %i:%i', (text, offset, line, column) => {
    expect(offsetToLocation(text, offset)).toEqual({ line, column });
  });
});

describe('parseJsonDocument syntax errors', () => {
  it.each([
    ['trailing comma in object', '{\n  "a": 1,\n}', 3, 1, 'Expected double-quoted property name'],
    ['missing colon', '{\n  "a" 1\n}', 2, 7, "Expected ':' after property name"],
    ['missing comma between elements', '[\n  {}\n  {}\n]', 3, 3, "Expected ',' or ']' after array element"],
    ['bad literal (no position in the V8 message)', '{\n  "a": tru\n}', 2, 11, 'Unexpected line break'],
    ['bad token mid-line', '{"a": x}', 1, 7, "Unexpected token 'x'"],
    ['unterminated', '{\n  "a": [1, 2', 2, 13, ''],
    ['trailing garbage', '{}\n}', 2, 1, 'Unexpected non-whitespace character after JSON'],
    ['control character in a string', '["a\tb"]', 1, 4, 'Bad control character in string literal'],
  ])('%s', (_name, text, line, column, message) => {
    const result = parseJsonDocument(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ path: '', line, column });
    expect(result.error.message).toContain(message);
    expect(result.error.message).not.toMatch(/position|is not valid JSON/);
    expect(isSyntaxIssue(result.error)).toBe(true);
  });

  it('reports an empty file at 1:1', () => {
    const result = parseJsonDocument('  \n ');
    expect(result).toMatchObject({ ok: false, error: { line: 1, column: 1 } });
    if (!result.ok) expect(result.error.message).toContain('the file is empty');
  });

  it('ignores a byte-order mark', () => {
    expect(parseJsonDocument('\uFEFF{"a": 1}')).toMatchObject({ ok: true, value: { a: 1 } });
  });
});

describe('findSyntaxErrorOffset agrees with JSON.parse positions', () => {
  it.each([
    '{"a":1,}',
    '{"a" 1}',
    '[1 2]',
    '{"a":-}',
    '["\\u12G4"]',
    '{"a":01}',
    '{"a":1}x',
    '["\\q"]',
    '{"a":tru}',
  ])('%s', (text) => {
    expect(() => JSON.parse(text)).toThrow();
    const offset = findSyntaxErrorOffset(text);
    expect(offset).toBeDefined();
    const match = /at position (\d+)/.exec(
      (() => {
        try {
          JSON.parse(text);
          return '';
        } catch (error) {
          return (error as Error).message;
        }
      })(),
    );
    if (match) expect(offset).toBe(Number(match[1]));
  });

  it('finds nothing in valid JSON', () => {
    expect(findSyntaxErrorOffset('{"a": [1, true, null, "x\\"y", -1.5e3, {}]}')).toBeUndefined();
  });
});

describe('locations of values', () => {
  const text = [
    '{',
    '  "family": "web",',
    '  "containerDefinitions": [',
    '    { "name": "app", "weird key": 1 }',
    '  ]',
    '}',
  ].join('\n');

  it('locates members at their key and falls back to the nearest ancestor', () => {
    const document = parseJsonDocument(text);
    if (!document.ok) throw new Error('expected valid JSON');
    expect(document.locate('')).toEqual({ line: 1, column: 1 });
    expect(document.locate('family')).toEqual({ line: 2, column: 3 });
    expect(document.locate('containerDefinitions[0]')).toEqual({ line: 4, column: 5 });
    expect(document.locate('containerDefinitions[0].name')).toEqual({ line: 4, column: 7 });
    expect(document.locate('containerDefinitions[0]["weird key"]')).toEqual({ line: 4, column: 22 });
    expect(document.locate('containerDefinitions[0].image')).toEqual({ line: 4, column: 5 });
  });
});

describe('json paths', () => {
  it.each([
    ['', 'family', 'family'],
    ['containerDefinitions[0]', 'name', 'containerDefinitions[0].name'],
    ['dockerLabels', 'com.example.team', 'dockerLabels["com.example.team"]'],
    ['', 'a-b', '["a-b"]'],
  ])('keyPath(%j, %j) = %j', (base, key, expected) => {
    expect(keyPath(base, key)).toBe(expected);
  });

  it('indexPath appends [n]', () => {
    expect(indexPath('containerDefinitions', 2)).toBe('containerDefinitions[2]');
  });

  it.each([
    ['', undefined],
    ['family', ''],
    ['containerDefinitions[1]', 'containerDefinitions'],
    ['containerDefinitions[1].dependsOn[0].condition', 'containerDefinitions[1].dependsOn[0]'],
    ['a.labels["x.y"]', 'a.labels'],
    ['["a-b"]', ''],
  ])('parentPath(%j) = %j', (path, parent) => {
    expect(parentPath(path)).toBe(parent);
  });
});
