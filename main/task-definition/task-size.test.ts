import { describe, expect, it } from 'vitest';
import { parseTaskCpu, parseTaskMemory } from './task-size.js';

describe('parseTaskCpu', () => {
  it.each([
    ['256', 256],
    ['1024', 1024],
    [' 512 ', 512],
    ['1 vCPU', 1024],
    ['0.25 vCPU', 256],
    ['0.5vcpu', 512],
    ['.25 vcpu', 256],
    ['.5 vCPU', 512],
    ['2 vCPUs', 2048],
    [4096, 4096],
  ])('%j → %i units', (input, expected) => {
    expect(parseTaskCpu(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    '',
    'a lot',
    '0',
    '-256',
    '0.1 vCPU',
    '256 MB',
    '1.5',
    '.',
    '. vcpu',
    '1. vcpu',
    true,
    null,
    0,
    12.5,
  ])('refuses %j', (input) => {
    expect(parseTaskCpu(input)).toEqual({ ok: false });
  });
});

describe('parseTaskMemory', () => {
  it.each([
    ['512', 512],
    ['0.5 GB', 512],
    ['.5 gb', 512],
    ['.5GB', 512],
    ['1 GB', 1024],
    ['2GB', 2048],
    ['3 GiB', 3072],
    ['512 MiB', 512],
    ['512MB', 512],
    [2048, 2048],
  ])('%j → %i MiB', (input, expected) => {
    expect(parseTaskMemory(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['', '1 TB', '0', '0.1 GB', 'lots', '.gb', false, -1])('refuses %j', (input) => {
    expect(parseTaskMemory(input)).toEqual({ ok: false });
  });
});
