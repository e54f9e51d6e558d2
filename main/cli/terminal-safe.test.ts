import { describe, expect, it } from 'vitest';
import { terminalSafe } from './terminal-safe.js';

describe('terminalSafe', () => {
  it('escapes C0 (ESC, newline, tab, BEL), DEL and C1 controls as \\xNN', () => {
    expect(terminalSafe('a\x1b[31mred\x1b[0m\n\t\x07\x7f\x9b2J')).toBe(
      'a\\x1b[31mred\\x1b[0m\\x0a\\x09\\x07\\x7f\\x9b2J',
    );
  });

  it('escapes bidi overrides, isolates, marks and zero-width characters as \\uNNNN', () => {
    expect(terminalSafe('x\u202eevil\u202c\u2066\u2069\u200b\u200f\ufeff\u2028')).toBe(
      'x\\u202eevil\\u202c\\u2066\\u2069\\u200b\\u200f\\ufeff\\u2028',
    );
  });

  it('keeps printable text, including non-ASCII letters and emoji, as it is', () => {
    const text = 'web-app nginx:1.27 café 東京 ✓ 🚀 → ·';
    expect(terminalSafe(text)).toBe(text);
  });
});
