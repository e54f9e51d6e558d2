/**
 * Reads the docker CLI's on-disk state: `config.json` (currentContext) and the context store
 * (`contexts/meta/<sha256(name)>/meta.json`, `contexts/tls/<sha256(name)>/docker/*.pem`).
 * All file access goes through an injected reader so the logic stays testable with temp dirs or fakes.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerConnectionError } from './connection-error.js';

/** Reads a UTF-8 file; `undefined` when it does not exist. */
export type ReadFile = (path: string) => string | undefined;

/** Lists the entries of a directory; `[]` when it does not exist. */
export type ReadDir = (path: string) => readonly string[];

/** TLS material of a context or of DOCKER_CERT_PATH, as PEM text. */
export interface TlsMaterial {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/** The docker endpoint of one stored context. */
export interface DockerContext {
  readonly name: string;
  readonly host: string;
  readonly skipTlsVerify: boolean;
  readonly tls: TlsMaterial;
  /** The meta.json it was read from (for messages). */
  readonly metaPath: string;
}

/** Name of the built-in context that means "the default socket". */
export const DEFAULT_CONTEXT_NAME = 'default';

/** Reads a file, treating "not there" as `undefined` and surfacing every other failure. */
export const readFileIfExists: ReadFile = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
};

/** Lists a directory, treating "not there" as empty. */
export const readDirIfExists: ReadDir = (path) => {
  try {
    return readdirSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
};

/** The docker CLI config dir: `$DOCKER_CONFIG`, else `<home>/.docker`. */
export function dockerConfigDir(env: NodeJS.ProcessEnv, homeDir: string): string {
  const fromEnv = env.DOCKER_CONFIG;
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(homeDir, '.docker');
}

/** The directory name the CLI uses for a context: hex sha256 of its name. */
export function contextStorageId(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

/** `currentContext` from `<configDir>/config.json`, or `undefined` when unset or no file. */
export function readCurrentContext(configDir: string, readFile: ReadFile): string | undefined {
  const path = join(configDir, 'config.json');
  const text = readFile(path);
  if (text === undefined || text.trim() === '') return undefined;
  const parsed = parseJson(text, path);
  const current = (parsed as { currentContext?: unknown } | null)?.currentContext;
  return typeof current === 'string' && current !== '' ? current : undefined;
}

/**
 * Reads one stored context. Throws `DockerConnectionError` (DOCKER_CONTEXT_NOT_FOUND) naming the
 * context and the path looked at when it does not exist, and DOCKER_CONFIG when it is malformed.
 * Not for `default`, which is not stored.
 */
export function readDockerContext(configDir: string, name: string, readFile: ReadFile): DockerContext {
  const id = contextStorageId(name);
  const metaPath = join(configDir, 'contexts', 'meta', id, 'meta.json');
  const text = readFile(metaPath);
  if (text === undefined) {
    throw new DockerConnectionError({
      code: 'DOCKER_CONTEXT_NOT_FOUND',
      message: `Docker context "${name}" does not exist (looked for ${metaPath}).`,
      hint: 'Run `docker context ls` to see the available contexts, or choose one in Settings.',
    });
  }
  const meta = parseJson(text, metaPath) as {
    Name?: unknown;
    Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } };
  } | null;
  const docker = meta?.Endpoints?.docker;
  if (typeof docker?.Host !== 'string' || docker.Host === '') {
    throw new DockerConnectionError({
      code: 'DOCKER_CONFIG',
      message: `Docker context "${name}" has no docker endpoint host (${metaPath}).`,
      hint: 'Recreate the context with `docker context create … --docker host=…`, or choose another in Settings.',
    });
  }
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker');
  return {
    name,
    host: docker.Host,
    skipTlsVerify: docker.SkipTLSVerify === true,
    tls: readTlsMaterial(tlsDir, readFile),
    metaPath,
  };
}

/** Names of all stored contexts (plus `default`), for a Settings picker. Malformed entries are skipped. */
export function listDockerContexts(
  configDir: string,
  readFile: ReadFile = readFileIfExists,
  readDir: ReadDir = readDirIfExists,
): readonly string[] {
  const metaRoot = join(configDir, 'contexts', 'meta');
  const names = new Set<string>([DEFAULT_CONTEXT_NAME]);
  for (const entry of readDir(metaRoot)) {
    const text = readFile(join(metaRoot, entry, 'meta.json'));
    if (text === undefined) continue;
    try {
      const name = (JSON.parse(text) as { Name?: unknown } | null)?.Name;
      if (typeof name === 'string' && name !== '') names.add(name);
    } catch {
      // A broken context must not hide the others; resolving it by name reports the problem.
    }
  }
  return [...names].sort();
}

/** Reads ca.pem / cert.pem / key.pem from a directory; missing files are simply absent. */
export function readTlsMaterial(dir: string, readFile: ReadFile): TlsMaterial {
  const ca = readFile(join(dir, 'ca.pem'));
  const cert = readFile(join(dir, 'cert.pem'));
  const key = readFile(join(dir, 'key.pem'));
  return {
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
  };
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new DockerConnectionError({
      code: 'DOCKER_CONFIG',
      message: `${path} is not valid JSON (${(err as Error).message}).`,
      hint: 'Fix or remove the file, or set DOCKER_HOST / choose a context in Settings.',
      cause: err,
    });
  }
}
