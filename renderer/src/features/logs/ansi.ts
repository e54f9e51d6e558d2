/**
 * ANSI SGR parsing (pure): text with escape sequences → styled spans of plain text. Only colours
 * and text attributes survive; every other escape (cursor moves, OSC titles, hyperlinks) is
 * dropped. The result is rendered as React text nodes, never as HTML.
 */

export interface AnsiStyle {
  /** 0–15: palette index (rendered with theme-aware classes); or a CSS colour for 256/true colour. */
  readonly fg?: number | string;
  readonly bg?: number | string;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly italic?: boolean;
  readonly underline?: boolean;
}

export interface AnsiSpan {
  readonly text: string;
  readonly style: AnsiStyle;
}

// CSI … final byte, OSC … BEL/ST, or a lone two-byte escape.
// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b\[([0-9;:?]*)([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** xterm 256-colour index → CSS colour (16–255; 0–15 stay palette indices). */
export function xterm256(n: number): number | string {
  if (n < 16) return n;
  if (n < 232) {
    const i = n - 16;
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${level(Math.floor(i / 36))}, ${level(Math.floor(i / 6) % 6)}, ${level(i % 6)})`;
  }
  const g = 8 + (n - 232) * 10;
  return `rgb(${g}, ${g}, ${g})`;
}

function applySgr(style: AnsiStyle, params: string): AnsiStyle {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  let s: { -readonly [K in keyof AnsiStyle]: AnsiStyle[K] } = { ...style };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c === 0) s = {};
    else if (c === 1) s.bold = true;
    else if (c === 2) s.dim = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 22) {
      delete s.bold;
      delete s.dim;
    } else if (c === 23) delete s.italic;
    else if (c === 24) delete s.underline;
    else if (c >= 30 && c <= 37) s.fg = c - 30;
    else if (c >= 90 && c <= 97) s.fg = c - 90 + 8;
    else if (c === 39) delete s.fg;
    else if (c >= 40 && c <= 47) s.bg = c - 40;
    else if (c >= 100 && c <= 107) s.bg = c - 100 + 8;
    else if (c === 49) delete s.bg;
    else if (c === 38 || c === 48) {
      const key = c === 38 ? 'fg' : 'bg';
      if (codes[i + 1] === 5 && codes[i + 2] !== undefined) {
        s[key] = xterm256(codes[i + 2]! & 255);
        i += 2;
      } else if (codes[i + 1] === 2 && codes[i + 4] !== undefined) {
        const [r, g, b] = [codes[i + 2]!, codes[i + 3]!, codes[i + 4]!].map((v) =>
          Math.max(0, Math.min(255, v)),
        );
        s[key] = `rgb(${r}, ${g}, ${b})`;
        i += 4;
      }
    }
  }
  return s;
}

/** Parses `text`; `initial` carries style over from a previous line. */
export function parseAnsi(text: string, initial: AnsiStyle = {}): AnsiSpan[] {
  if (!text.includes('\x1b')) return text ? [{ text, style: initial }] : [];
  const spans: AnsiSpan[] = [];
  let style = initial;
  let last = 0;
  ESCAPE.lastIndex = 0;
  for (let m = ESCAPE.exec(text); m; m = ESCAPE.exec(text)) {
    if (m.index > last) spans.push({ text: text.slice(last, m.index), style });
    if (m[2] === 'm') style = applySgr(style, m[1] ?? '');
    last = ESCAPE.lastIndex;
  }
  if (last < text.length) spans.push({ text: text.slice(last), style });
  return spans;
}

/** The text without any escape sequence (what search and copy see). */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ESCAPE, '') : text;
}
