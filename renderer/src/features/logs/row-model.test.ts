import { describe, expect, it } from 'vitest';
import type { ViewLine } from './log-store.js';
import { rowModel, type RowLook } from './row-model.js';

const line = (over: Partial<ViewLine> = {}): ViewLine => ({
  abs: 7,
  seq: 7,
  time: Date.UTC(2026, 0, 1, 12, 3, 4, 123),
  container: 'web',
  stderr: false,
  marker: false,
  text: 'hello world',
  plain: 'hello world',
  ...over,
});
const look: RowLook = { showTime: false, showContainer: true, timeline: true, colourOf: () => 3 };

describe('rowModel', () => {
  it('a plain line is one unstyled piece with its tag and timeline time', () => {
    const m = rowModel(line(), [], false, look);
    expect(m.className).toBe('log-row');
    expect(m.pieces).toEqual([{ text: 'hello world', className: '' }]);
    expect(m.tag).toEqual({ text: 'web', className: 'log-tag log-colour-3', title: 'web (stdout)' });
    expect(m.timelineMs).toBe(line().time);
    expect(m.time).toBeUndefined();
  });

  it('highlights matches (the current one apart) inside ANSI colours', () => {
    const m = rowModel(
      line({ text: '\x1b[31mhello\x1b[0m world', stderr: true }),
      [{ start: 3, end: 8 }],
      true,
      { ...look, showTime: true, showContainer: false, timeline: false },
    );
    expect(m.className).toBe('log-row log-stderr log-current');
    expect(m.time).toBe('12:03:04.123');
    expect(m.tag).toBeUndefined();
    expect(m.timelineMs).toBeUndefined();
    expect(m.pieces).toEqual([
      { text: 'hel', className: 'ansi-fg-1' },
      { text: 'lo', className: 'ansi-fg-1 log-match log-match-current' },
      { text: ' wo', className: 'log-match log-match-current' },
      { text: 'rld', className: '' },
    ]);
  });

  it('a drop marker shows its plain text, never as stderr', () => {
    const m = rowModel(
      line({ marker: true, stderr: true, text: 'x', plain: '… 5 older lines dropped' }),
      [],
      false,
      look,
    );
    expect(m.className).toBe('log-row log-marker');
    expect(m.marker).toBe(true);
    expect(m.pieces).toEqual([{ text: '… 5 older lines dropped', className: '' }]);
  });

  it('true colours become inline colours', () => {
    const m = rowModel(line({ text: '\x1b[38;2;1;2;3mx' }), [], false, look);
    expect(m.pieces[0]).toMatchObject({ text: 'x', className: '', color: expect.stringContaining('1') });
  });
});
