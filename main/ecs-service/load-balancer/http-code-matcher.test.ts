import { describe, expect, it } from 'vitest';
import { matchesHttpCode, parseHttpCodeMatcher } from './http-code-matcher.js';

describe('parseHttpCodeMatcher', () => {
  it.each([
    ['200', [[200, 200]]],
    [
      '200,202',
      [
        [200, 200],
        [202, 202],
      ],
    ],
    ['200-299', [[200, 299]]],
    [
      ' 200 , 300-399 ',
      [
        [200, 200],
        [300, 399],
      ],
    ],
    ['499', [[499, 499]]],
  ])('accepts %j', (text, ranges) => {
    const r = parseHttpCodeMatcher(text);
    expect(r.ok && r.matcher.ranges).toEqual(ranges);
  });

  it.each([
    ['', /must not be empty/],
    ['abc', /"abc" is not an HTTP code/],
    ['200-', /"200-" is not an HTTP code/],
    ['200-250-299', /is not an HTTP code/],
    ['199', /199 is outside 200–499/],
    ['500', /500 is outside 200–499/],
    ['200-500', /500 is outside/],
    ['299-200', /ends before it starts/],
    ['2000', /is not an HTTP code/],
  ])('rejects %j', (text, message) => {
    const r = parseHttpCodeMatcher(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe('matchesHttpCode', () => {
  it.each([
    ['200', 200, true],
    ['200', 204, false],
    ['200,202', 202, true],
    ['200-299', 299, true],
    ['200-299', 300, false],
    ['200,300-399', 302, true],
    ['200,300-399', 404, false],
  ])('%s matches %i: %s', (text, code, expected) => {
    const r = parseHttpCodeMatcher(text);
    if (!r.ok) throw new Error(r.message);
    expect(matchesHttpCode(r.matcher, code)).toBe(expected);
  });
});
