import { describe, expect, it } from 'vitest';
import { takeLinkCode } from './web-session.js';

describe('takeLinkCode', () => {
  it('takes the code out and keeps the rest of the address', () => {
    expect(takeLinkCode('http://127.0.0.1:4100/?code=abc_-1#/settings')).toEqual({
      code: 'abc_-1',
      cleanUrl: '/#/settings',
    });
    expect(takeLinkCode('http://127.0.0.1:4100/?x=1&code=abc')).toEqual({ code: 'abc', cleanUrl: '/?x=1' });
  });

  it('leaves an address without a code alone', () => {
    expect(takeLinkCode('http://127.0.0.1:4100/#/tasks')).toEqual({ cleanUrl: '/#/tasks' });
  });
});
