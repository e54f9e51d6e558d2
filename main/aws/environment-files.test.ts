import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENV_FILE_ERROR_PREFIX,
  parseEnvironmentFile,
  parseS3Arn,
  resolveEnvironmentFiles,
} from './environment-files.js';

describe('parseEnvironmentFile', () => {
  it('follows the ECS rules', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      'QUOTED="kept as is"',
      'EQUALS=a=b=c',
      'EMPTY=',
      '  # indented comment',
      'NOEQUALS',
      '=novalue',
      'CRLF=yes\r',
      'SPACES= around ',
      'PLAIN=second wins',
    ].join('\n');
    expect(parseEnvironmentFile(text)).toEqual({
      PLAIN: 'second wins',
      QUOTED: '"kept as is"',
      EQUALS: 'a=b=c',
      EMPTY: '',
      CRLF: 'yes',
      SPACES: ' around ',
    });
  });
});

describe('parseS3Arn', () => {
  it('splits bucket and key', () => {
    expect(parseS3Arn('arn:aws:s3:::my-bucket/path/to/app.env')).toEqual({
      bucket: 'my-bucket',
      key: 'path/to/app.env',
    });
    expect(parseS3Arn('arn:aws:s3:::bucket-only')).toBeUndefined();
    expect(parseS3Arn('/local/file.env')).toBeUndefined();
  });
});

describe('resolveEnvironmentFiles', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taskdeck-envfiles-'));
    await writeFile(join(dir, 'a.env'), 'A=1\nSHARED=from-a\n');
    await writeFile(join(dir, 'b.env'), 'B=2\nSHARED=from-b\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('merges local files in order (relative, absolute, file://) and S3 via the reader', async () => {
    const env = await resolveEnvironmentFiles(
      [
        { value: 'a.env', type: 's3' },
        { value: `file://${join(dir, 'b.env')}`, type: 's3' },
        { value: 'arn:aws:s3:::bucket/c.env', type: 's3' },
      ],
      { baseDir: dir, readS3: async (bucket, key) => `C=${bucket}/${key}\n` },
    );
    expect(env).toEqual({ A: '1', B: '2', SHARED: 'from-b', C: 'bucket/c.env' });
  });

  it('fails with the agent wording', async () => {
    await expect(
      resolveEnvironmentFiles([{ value: join(dir, 'missing.env'), type: 's3' }], { baseDir: dir }),
    ).rejects.toThrow(new RegExp(`^${ENV_FILE_ERROR_PREFIX}.*missing\\.env: cannot read .*ENOENT`));
    await expect(resolveEnvironmentFiles([{ value: 'arn:aws:s3:::b/k.env', type: 's3' }])).rejects.toThrow(
      /S3 environment files need AWS access, which is disabled/,
    );
  });

  it('refuses a variable Docker would refuse, naming the file, its path and the variable, never the value', async () => {
    await writeFile(join(dir, 'nul.env'), 'OK=1\nTOKEN=abc\u0000hidden-part\n');
    const error = await resolveEnvironmentFiles([{ value: join(dir, 'nul.env'), type: 's3' }], {
      containerPath: 'containerDefinitions[2]',
      baseDir: dir,
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `ResourceInitializationError: environment file ${join(dir, 'nul.env')} (containerDefinitions[2].environmentFiles[0]): variable TOKEN contains a NUL byte`,
    );
  });
});

describe('resolveEnvironmentFiles: local files are confined to the definition’s folder', () => {
  let root: string;
  let folder: string;
  let outside: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'taskdeck-envscope-'));
    folder = join(root, 'defs');
    await mkdir(join(folder, 'env'), { recursive: true });
    outside = join(root, 'private.env');
    await writeFile(outside, 'PRIVATE=outside-value\n');
    await writeFile(join(folder, 'env', 'app.env'), 'APP=inside\n');
    await writeFile(join(folder, '..odd.env'), 'ODD=inside\n');
    await symlink(outside, join(folder, 'escape.env'));
    await symlink('/proc/self/environ', join(folder, 'environ.env'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const read = (value: string, options: Parameters<typeof resolveEnvironmentFiles>[1] = {}) =>
    resolveEnvironmentFiles([{ value, type: 's3' }], options);

  it('resolves relative paths against the folder, not the working directory', async () => {
    expect(await read('env/app.env', { baseDir: folder })).toEqual({ APP: 'inside' });
    expect(await read('..odd.env', { baseDir: folder })).toEqual({ ODD: 'inside' });
    expect(await read(`file://${join(folder, 'env', 'app.env')}`, { baseDir: folder })).toEqual({
      APP: 'inside',
    });
  });

  it('refuses files outside the folder (by path, by .., by symlink) unless allowed', async () => {
    await expect(read(outside, { baseDir: folder })).rejects.toThrow(
      /refused: .*private\.env: it is outside the definition's folder .*--allow-env-files-outside/,
    );
    await expect(read('../private.env', { baseDir: folder })).rejects.toThrow(/refused: .*outside/);
    await expect(read('escape.env', { baseDir: folder })).rejects.toThrow(
      /refused: .*escape\.env \(leads to .*private\.env\): it is outside/,
    );
    expect(await read(outside, { baseDir: folder, allowOutside: true })).toEqual({
      PRIVATE: 'outside-value',
    });
    expect(await read('escape.env', { baseDir: folder, allowOutside: true })).toEqual({
      PRIVATE: 'outside-value',
    });
  });

  it('without a folder: relative paths are refused, absolute ones need permission', async () => {
    await expect(read('app.env')).rejects.toThrow(/refused: a relative path needs the definition's folder/);
    await expect(read(outside)).rejects.toThrow(/refused: .*this definition has no folder/);
    expect(await read(outside, { allowOutside: true })).toEqual({ PRIVATE: 'outside-value' });
  });

  it('never reads /proc, /sys or /dev, even when outside files are allowed or through a symlink', async () => {
    for (const value of [
      '/proc/self/environ',
      'file:///proc/self/environ',
      '/sys/kernel/hostname',
      '/dev/zero',
    ]) {
      await expect(read(value, { allowOutside: true })).rejects.toThrow(
        /refused: files under \/(proc|sys|dev) are never read/,
      );
    }
    await expect(read('environ.env', { baseDir: folder, allowOutside: true })).rejects.toThrow(
      /refused: .*environ\.env leads to \/proc\/.*never read/,
    );
  });
});
