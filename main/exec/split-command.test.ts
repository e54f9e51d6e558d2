import { describe, expect, it } from 'vitest';
import { splitCommand } from './split-command.js';

describe('splitCommand', () => {
  it.each<[string, string[]]>([
    ['/bin/sh', ['/bin/sh']],
    ['  ls   -la  ', ['ls', '-la']],
    ["sh -c 'echo hi; exit 3'", ['sh', '-c', 'echo hi; exit 3']],
    ['sh -c "echo \\"$HOME\\""', ['sh', '-c', 'echo "$HOME"']],
    ['echo a\\ b', ['echo', 'a b']],
    ["echo ''", ['echo', '']],
    ['echo "it\'s"', ['echo', "it's"]],
  ])('%j → %j', (input, words) => {
    expect(splitCommand(input)).toEqual(words);
  });

  it('refuses an unterminated quote and an empty command', () => {
    expect(() => splitCommand("sh -c 'oops")).toThrow("unterminated ' quote");
    expect(() => splitCommand('   ')).toThrow('command must not be empty');
  });
});
