import { describe, expect, it } from 'vitest';
import { base64ToBytes, chunkText } from './base64.js';

describe('exec transport helpers', () => {
  it('decodes base64 to the original bytes, split UTF-8 sequences included', () => {
    const bytes = new TextEncoder().encode('héllo ✓');
    const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
    expect([...base64ToBytes(b64(bytes.subarray(0, 2)))]).toEqual([...bytes.subarray(0, 2)]);
    expect([...base64ToBytes(b64(bytes))]).toEqual([...bytes]);
  });

  it('chunks a paste into pieces no larger than the limit', () => {
    expect(chunkText('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(chunkText('', 3)).toEqual([]);
  });
});
