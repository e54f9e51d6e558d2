import { describe, expect, it } from 'vitest';
import { base64ToBytes, chunkText } from './base64.js';

describe('exec transport helpers', () => {
  it('decodes base64 to the original bytes, split UTF-8 sequences included', () => {
    const bytes = Buffer.from('héllo ✓', 'utf8');
    expect([...base64ToBytes(bytes.subarray(0, 2).toString('base64'))]).toEqual([...bytes.subarray(0, 2)]);
    expect([...base64ToBytes(bytes.toString('base64'))]).toEqual([...bytes]);
  });

  it('chunks a paste into pieces no larger than the limit', () => {
    expect(chunkText('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(chunkText('', 3)).toEqual([]);
  });
});
