import { describe, expect, it } from 'vitest';
import { parseAnsi, stripAnsi, xterm256 } from './ansi.js';

describe('parseAnsi', () => {
  it.each([
    ['plain', 'hello', [{ text: 'hello', style: {} }]],
    ['empty', '', []],
    [
      'red then reset',
      '\x1b[31merror\x1b[0m done',
      [
        { text: 'error', style: { fg: 1 } },
        { text: ' done', style: {} },
      ],
    ],
    ['bold bright green on blue', '\x1b[1;92;44mok', [{ text: 'ok', style: { bold: true, fg: 10, bg: 4 } }]],
    ['256 colour', '\x1b[38;5;196mX', [{ text: 'X', style: { fg: 'rgb(255, 0, 0)' } }]],
    ['true colour bg', '\x1b[48;2;1;2;300mX', [{ text: 'X', style: { bg: 'rgb(1, 2, 255)' } }]],
    [
      'empty SGR resets',
      '\x1b[4mu\x1b[mn',
      [
        { text: 'u', style: { underline: true } },
        { text: 'n', style: {} },
      ],
    ],
    [
      'cursor moves and OSC titles are dropped',
      '\x1b[2K\x1b]0;title\x07a\x1b[1Ab',
      [
        { text: 'a', style: {} },
        { text: 'b', style: {} },
      ],
    ],
    [
      '39 resets only the foreground',
      '\x1b[1;31ma\x1b[39mb',
      [
        { text: 'a', style: { bold: true, fg: 1 } },
        { text: 'b', style: { bold: true } },
      ],
    ],
    [
      'markup stays text',
      '<img src=x onerror=alert(1)>',
      [{ text: '<img src=x onerror=alert(1)>', style: {} }],
    ],
  ])('%s', (_name, input, spans) => expect(parseAnsi(input)).toEqual(spans));
});

describe('stripAnsi / xterm256', () => {
  it('strips every escape', () =>
    expect(stripAnsi('\x1b[1;31mred\x1b[0m \x1b]8;;http://x\x1b\\link')).toBe('red link'));
  it.each([
    [3, 3],
    [16, 'rgb(0, 0, 0)'],
    [231, 'rgb(255, 255, 255)'],
    [244, 'rgb(128, 128, 128)'],
  ])('%d → %s', (n, css) => expect(xterm256(n)).toBe(css));
});
