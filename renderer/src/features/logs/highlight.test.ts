import { describe, expect, it } from 'vitest';
import { parseAnsi } from './ansi.js';
import { splitAtRanges } from './highlight.js';

describe('splitAtRanges', () => {
  it.each([
    { name: 'no ranges', text: 'abc', ranges: [], out: [['abc', undefined]] },
    {
      name: 'middle',
      text: 'hello world',
      ranges: [[6, 11]],
      out: [
        ['hello ', undefined],
        ['world', 0],
      ],
    },
    {
      name: 'across a colour change',
      text: 'ab\x1b[31mcd\x1b[0mef',
      ranges: [[1, 5]],
      out: [
        ['a', undefined],
        ['b', 0],
        ['cd', 0],
        ['e', 0],
        ['f', undefined],
      ],
    },
    {
      name: 'two matches',
      text: 'x1x2',
      ranges: [
        [1, 2],
        [3, 4],
      ],
      out: [
        ['x', undefined],
        ['1', 0],
        ['x', undefined],
        ['2', 1],
      ],
    },
  ])('$name', ({ text, ranges, out }) => {
    const pieces = splitAtRanges(
      parseAnsi(text),
      ranges.map(([start, end]) => ({ start: start!, end: end! })),
    );
    expect(pieces.map((p) => [p.text, p.match])).toEqual(out);
  });
});
