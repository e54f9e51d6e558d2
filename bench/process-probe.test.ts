import { expect, test } from 'vitest';
import { parseProcStat } from './process-probe.js';

test('parseProcStat reads ppid and a comm with spaces and parens', () => {
  expect(parseProcStat('1234 (node) S 99 1234 1234 0 -1')).toEqual({ ppid: 99, comm: 'node' });
  expect(parseProcStat('77 (a (weird) name) R 5 77 77 0')).toEqual({ ppid: 5, comm: 'a (weird) name' });
  expect(parseProcStat('garbage')).toBeUndefined();
});
