import { describe, expect, it } from 'vitest';
import type { LogLine } from './dto.js';
import { packLogLines, unpackLogLines } from './log-wire.js';

const T = '9ef84f67c60a6119ebe8f8a15ba235b5';
const line = (seq: number, over: Partial<LogLine> = {}): LogLine => ({
  taskId: T,
  container: 'app',
  stream: 'stdout',
  time: `2026-12-07T05:49:08.${String(123456789 + seq)}Z`,
  text: String(seq),
  seq,
  ...over,
});

const unpack = (text: string) => unpackLogLines(T, (JSON.parse(text) as { packed: unknown }).packed);

describe('packed log lines', () => {
  it('round-trips lines of several containers, both streams and a dropped-lines marker', () => {
    const lines = [
      line(1),
      line(2, { container: 'side', stream: 'stderr', text: 'oops "quoted" \u001b[31mred\u001b[0m' }),
      line(3, { text: '' }),
      line(4, { dropped: 120, text: '120 older lines dropped' }),
      line(5, { container: 'side' }),
    ];
    const text = packLogLines(lines);
    expect(JSON.parse(text)).toMatchObject({ topic: 'logs:lines', packed: { containers: ['app', 'side'] } });
    expect(unpack(text)).toEqual(lines);
  });

  it('is well under half the bytes of the plain push for short lines', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => line(i + 1));
    const plain = JSON.stringify({ topic: 'logs:lines', payload: lines });
    expect(packLogLines(lines).length).toBeLessThan(plain.length * 0.5);
  });

  it('names what is wrong in a malformed message', () => {
    expect(() => unpackLogLines(T, null)).toThrow('packed.containers');
    expect(() => unpackLogLines(T, { containers: ['a'], lines: [1, 0, 't'] })).toThrow(
      'packed.lines: expected an array of 5 values per line',
    );
    expect(() => unpackLogLines(T, { containers: ['a'], lines: [1, 2, 't', 'x', 0] })).toThrow(
      'packed.lines: line 0 is malformed',
    );
    expect(() => unpackLogLines(T, { containers: ['a'], lines: [1, 0, 't', 5, 0] })).toThrow('line 0');
  });
});
