import { describe, expect, it } from 'vitest';
import { buildOverrides, parseCommand, parseEnvironment } from './overrides-form.js';

describe('launch overrides form', () => {
  it('parses JSON-array and plain commands', () => {
    expect(parseCommand('["echo","hi"]')).toEqual(['echo', 'hi']);
    expect(parseCommand('echo hi; sleep 1')).toEqual(['sh', '-c', 'echo hi; sleep 1']);
    expect(parseCommand('  ')).toBeUndefined();
    expect(() => parseCommand('[1,2]')).toThrow(/array of strings/);
  });

  it('parses environment lines', () => {
    expect(parseEnvironment('A=1\n\n# c\nB=x=y')).toEqual([
      { name: 'A', value: '1' },
      { name: 'B', value: 'x=y' },
    ]);
    expect(() => parseEnvironment('nope')).toThrow(/line 1/);
  });

  it('builds overrides only for changed containers and names bad fields', () => {
    const base = { command: '', environment: '', cpu: '', memory: '' };
    expect(buildOverrides([{ name: 'a', ...base }])).toEqual({ ok: true, overrides: undefined });
    expect(buildOverrides([{ name: 'a', ...base, memory: '64' }])).toEqual({
      ok: true,
      overrides: { containerOverrides: [{ name: 'a', memory: 64 }] },
    });
    expect(buildOverrides([{ name: 'a', ...base, memory: '3' }])).toMatchObject({
      ok: false,
      field: 'a.memory',
    });
  });
});
