import { expect, test } from 'vitest';
import { formatTable, ms } from './report.js';

test('formatTable aligns columns and marks rows', () => {
  const out = formatTable([
    { metric: 'a', value: '1 ms', target: '≤ 2 ms', pass: true },
    { metric: 'longer metric', value: '3 ms', target: '≤ 2 ms', pass: false },
    { metric: 'x', value: '-', target: '-' },
  ]).split('\n');
  expect(out[0]).toBe('metric        | value | target | result');
  expect(out[2]).toBe('a             | 1 ms  | ≤ 2 ms | PASS');
  expect(out[3]).toContain('FAIL');
  expect(out[4]).toContain('info');
  expect(ms(NaN)).toBe('n/a ms');
});
