import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { isStaticElf64 } from './helper-image.js';
import { ustar } from './ustar.js';

describe('helper image building blocks', () => {
  test('ustar writes an archive tar reads back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskdeck-ustar-'));
    try {
      const data = Buffer.from('hello\n'.repeat(200));
      const file = join(dir, 'a.tar');
      writeFileSync(file, ustar([{ name: 'x/hello.txt', mode: 0o755, data }]));
      execFileSync('tar', ['-xf', file, '-C', dir]);
      expect(readFileSync(join(dir, 'x/hello.txt'))).toEqual(data);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a static ELF is told from a dynamic one', () => {
    expect(isStaticElf64(readFileSync(process.execPath))).toBe(false);
    expect(isStaticElf64(Buffer.from('#!/bin/sh\n'))).toBe(false);
    const elf = Buffer.alloc(64 + 56);
    elf.writeUInt32BE(0x7f454c46, 0);
    elf[4] = 2;
    elf[5] = 1;
    elf.writeBigUInt64LE(64n, 0x20);
    elf.writeUInt16LE(56, 0x36);
    elf.writeUInt16LE(1, 0x38);
    elf.writeUInt32LE(1, 64); // PT_LOAD only
    expect(isStaticElf64(elf)).toBe(true);
    elf.writeUInt32LE(3, 64); // PT_INTERP
    expect(isStaticElf64(elf)).toBe(false);
  });
});
