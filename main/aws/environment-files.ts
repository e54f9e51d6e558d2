/**
 * Container `environmentFiles`: local paths (Taskdeck's extension, for development) and S3 object
 * ARNs (as in ECS, fetched only when AWS access is enabled), parsed with the ECS rules.
 *
 * A task definition is untrusted input, and whatever an env file holds lands in the container (and
 * so in its logs and the UI). Local files are therefore confined: relative paths resolve against
 * the definition's folder, a file outside that folder is refused unless the user allowed it, and
 * nothing under /proc, /sys or /dev is ever read. Symlinks are followed before any check.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve as resolvePath, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { envEntryProblem, shownName } from '../task-definition/env-safety.js';
import type { EnvironmentFile } from '../task-definition/model.js';
import { awsErrorText, defaultRegion, localChain, type AwsAccess } from './aws-access.js';

/** Prefix of every environment-file failure (the agent's wording). */
export const ENV_FILE_ERROR_PREFIX = 'ResourceInitializationError: failed to download env files: ';

/**
 * Parses one environment file as ECS does: one `NAME=VALUE` per line, split at the first `=`;
 * lines starting with `#` and blank lines are skipped; quotes are kept as written (no processing);
 * a line without `=` (or with an empty name) is ignored. A later line wins over an earlier one.
 */
export function parseEnvironmentFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const name = line.slice(0, eq).trim();
    if (name === '') continue;
    out[name] = line.slice(eq + 1);
  }
  return out;
}

/** Parsed S3 object ARN (`arn:aws:s3:::bucket/key`). */
export function parseS3Arn(value: string): { bucket: string; key: string } | undefined {
  const m = /^arn:[^:]+:s3:::([^/]+)\/(.+)$/.exec(value);
  return m?.[1] && m[2] ? { bucket: m[1], key: m[2] } : undefined;
}

/** Pseudo-filesystems no environment file is ever read from (process environments, devices). */
export const NEVER_READ_ROOTS = ['/proc', '/sys', '/dev'] as const;

/** Options for reading environment files. */
export interface EnvironmentFileOptions {
  readonly aws?: AwsAccess;
  /**
   * The definition's folder: relative paths resolve against it and files outside it are refused
   * (unless `allowOutside`). Absent when the definition has no folder (e.g. kept in the library).
   */
  readonly baseDir?: string;
  /** Read local files outside `baseDir` too (still never /proc, /sys or /dev). */
  readonly allowOutside?: boolean;
  /** Replaces the S3 download (tests). */
  readonly readS3?: (bucket: string, key: string) => Promise<string>;
  /** JSON path of the container (e.g. `containerDefinitions[0]`), named in errors. */
  readonly containerPath?: string;
}

/**
 * Reads and merges the files in order (a later file overrides an earlier one for the same name;
 * the container's `environment` still wins over all of them — that merge is the caller's).
 */
export async function resolveEnvironmentFiles(
  files: readonly EnvironmentFile[],
  options: EnvironmentFileOptions = {},
): Promise<Record<string, string>> {
  const where = (index: number) =>
    options.containerPath ? ` (${options.containerPath}.environmentFiles[${index}])` : '';
  const parsed = await Promise.all(
    files.map(async (file, index) => {
      let text: string;
      try {
        text = await readEnvironmentFile(file.value, options);
      } catch (err) {
        throw new Error(`${ENV_FILE_ERROR_PREFIX}${file.value}${where(index)}: ${(err as Error).message}`);
      }
      const variables = parseEnvironmentFile(text);
      // Docker would refuse these at start and quote the value in its error: refuse them now.
      for (const [name, value] of Object.entries(variables)) {
        const problem = envEntryProblem(name, value);
        if (problem) {
          throw new Error(
            `ResourceInitializationError: environment file ${file.value}${where(index)}: variable ${shownName(name)} ${problem}`,
          );
        }
      }
      return variables;
    }),
  );
  const merged: Record<string, string> = {};
  for (const variables of parsed) Object.assign(merged, variables);
  return merged;
}

async function readEnvironmentFile(value: string, options: EnvironmentFileOptions): Promise<string> {
  const s3 = parseS3Arn(value);
  if (s3) {
    if (options.readS3) return options.readS3(s3.bucket, s3.key);
    if (!options.aws?.enabled) throw new Error('S3 environment files need AWS access, which is disabled');
    return readS3Object(s3.bucket, s3.key, options.aws);
  }
  if (value.startsWith('arn:')) throw new Error('not an S3 object ARN (arn:aws:s3:::bucket/key)');
  const path = await confinedPath(value, options);
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

function under(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function neverReadRoot(path: string): string | undefined {
  return NEVER_READ_ROOTS.find((root) => under(path, root));
}

function outsideError(shown: string, folder: string | undefined): Error {
  const where =
    folder === undefined
      ? 'this definition has no folder'
      : `it is outside the definition's folder ${folder}`;
  return new Error(
    `refused: ${shown}: ${where}; allow files outside it with --allow-env-files-outside or the setting "Allow environmentFiles outside the definition's folder"`,
  );
}

/** Where a local env file really is, once every rule allows reading it; throws why not. */
async function confinedPath(value: string, options: EnvironmentFileOptions): Promise<string> {
  let written: string;
  if (value.startsWith('file://')) written = fileURLToPath(value);
  else if (isAbsolute(value)) written = value;
  else if (options.baseDir !== undefined) written = resolvePath(options.baseDir, value);
  else {
    throw new Error(
      "refused: a relative path needs the definition's folder, and this definition has none; use an absolute path",
    );
  }
  written = resolvePath(written);
  const pseudo = neverReadRoot(written);
  if (pseudo) throw new Error(`refused: files under ${pseudo} are never read`);
  const base = options.baseDir === undefined ? undefined : resolvePath(options.baseDir);
  const folder = base === undefined ? undefined : await realpath(base).catch(() => base);
  // Refuse by the path as written first, so nothing outside the folder is even looked at.
  const inside = (path: string) =>
    (folder !== undefined && under(path, folder)) || (base !== undefined && under(path, base));
  if (!options.allowOutside && !inside(written)) throw outsideError(written, folder);
  let real: string;
  try {
    real = await realpath(written);
  } catch (err) {
    throw new Error(`cannot read ${written}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  // Then by where it really is: a symlink must not lead out of the folder or into /proc.
  const realPseudo = neverReadRoot(real);
  if (realPseudo)
    throw new Error(`refused: ${written} leads to ${real}; files under ${realPseudo} are never read`);
  if (!options.allowOutside && !(folder !== undefined && under(real, folder))) {
    throw outsideError(`${written} (leads to ${real})`, folder);
  }
  // A FIFO or a device would block or never end; only regular files are env files.
  if (!(await stat(real)).isFile()) throw new Error(`refused: ${written} is not a regular file`);
  return real;
}

async function readS3Object(bucket: string, key: string, aws: AwsAccess): Promise<string> {
  const client = new S3Client({ region: defaultRegion(aws), credentials: localChain(aws.profile) });
  try {
    const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!out.Body) throw new Error('empty object');
    return await out.Body.transformToString('utf8');
  } catch (err) {
    throw new Error(`S3 GetObject failed: ${awsErrorText(err)}`);
  } finally {
    client.destroy();
  }
}
