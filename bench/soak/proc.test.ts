import { expect, test } from 'vitest';
import { openFds, parseRss, rssOf } from './proc.js';

test('reads VmRSS (kB) as bytes, and this process', async () => {
  expect(parseRss('Name:\tnode\nVmRSS:\t  123456 kB\nVmSwap:\t0 kB\n')).toBe(123456 * 1024);
  expect(parseRss('Name:\tkthreadd\n')).toBeUndefined();
  expect(await rssOf(process.pid)).toBeGreaterThan(1024 * 1024);
  expect(await openFds(process.pid)).toBeGreaterThan(2);
});
