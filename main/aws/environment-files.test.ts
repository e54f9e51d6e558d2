import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
    await expect(resolveEnvironmentFiles([{ value: join(dir, 'missing.env'), type: 's3' }])).rejects.toThrow(
      new RegExp(`^${ENV_FILE_ERROR_PREFIX}.*missing\\.env: cannot read .*ENOENT`),
    );
    await expect(resolveEnvironmentFiles([{ value: 'arn:aws:s3:::b/k.env', type: 's3' }])).rejects.toThrow(
      /S3 environment files need AWS access, which is disabled/,
    );
  });

  it('refuses a variable Docker would refuse, naming the file, its path and the variable, never the value', async () => {
    await writeFile(join(dir, 'nul.env'), 'OK=1\nTOKEN=abc\u0000hidden-part\n');
    const error = await resolveEnvironmentFiles([{ value: join(dir, 'nul.env'), type: 's3' }], {
      containerPath: 'containerDefinitions[2]',
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `ResourceInitializationError: environment file ${join(dir, 'nul.env')} (containerDefinitions[2].environmentFiles[0]): variable TOKEN contains a NUL byte`,
    );
  });
});
