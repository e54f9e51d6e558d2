import { describe, expect, it } from 'vitest';
import { isCopyKey, type KeyLike } from './copy-key.js';

const key = (over: Partial<KeyLike>): KeyLike => ({
  type: 'keydown',
  key: 'c',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...over,
});

describe('isCopyKey', () => {
  it('copies with Ctrl+C, Ctrl+Shift+C and Cmd+C when text is selected', () => {
    expect(isCopyKey(key({ ctrlKey: true }), true)).toBe(true);
    expect(isCopyKey(key({ ctrlKey: true, key: 'C' }), true)).toBe(true);
    expect(isCopyKey(key({ metaKey: true }), true)).toBe(true);
  });

  it('leaves Ctrl+C to the shell (interrupt) without a selection, and ignores other keys', () => {
    expect(isCopyKey(key({ ctrlKey: true }), false)).toBe(false);
    expect(isCopyKey(key({}), true)).toBe(false);
    expect(isCopyKey(key({ ctrlKey: true, key: 'v' }), true)).toBe(false);
    expect(isCopyKey(key({ ctrlKey: true, altKey: true }), true)).toBe(false);
    expect(isCopyKey(key({ ctrlKey: true, type: 'keyup' }), true)).toBe(false);
  });
});
