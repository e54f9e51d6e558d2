/**
 * Container `environmentFiles`: local paths (Taskdeck's extension, for development) and S3 object
 * ARNs (as in ECS, fetched only when AWS access is enabled), parsed with the ECS rules.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
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

/** Options for reading environment files. */
export interface EnvironmentFileOptions {
  readonly aws?: AwsAccess;
  /** Base for relative local paths; default the process's cwd. */
  readonly baseDir?: string;
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
  const path = value.startsWith('file://')
    ? fileURLToPath(value)
    : isAbsolute(value)
      ? value
      : resolvePath(options.baseDir ?? process.cwd(), value);
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
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
