/**
 * Decides which Docker daemon to talk to, the way the docker CLI does, and turns the answer into
 * options for `new Docker(options)`. Pure given its inputs: all file access goes through `readFile`.
 */
import type Docker from 'dockerode';
import { Agent as HttpsAgent } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DockerConnectionError } from './connection-error.js';
import {
  DEFAULT_CONTEXT_NAME,
  dockerConfigDir,
  readCurrentContext,
  readDockerContext,
  readFileIfExists,
  readTlsMaterial,
  type ReadFile,
  type TlsMaterial,
} from './docker-contexts.js';

/** Where the chosen endpoint came from, highest precedence first. */
export type ConnectionSource =
  'settings' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'config currentContext' | 'default';

/**
 * Options for `new Docker(...)`. `agent` is forwarded by docker-modem but missing from
 * @types/dockerode; it is only set to skip TLS verification.
 */
export type DockerClientOptions = Docker.DockerOptions & { agent?: HttpsAgent };

/** The daemon to connect to, where that choice came from, and how to reach it. */
export interface ResolvedConnection {
  /** Normalised endpoint, e.g. `unix:///var/run/docker.sock`, `tcp://host:2376`, `ssh://user@host`. */
  readonly endpoint: string;
  readonly source: ConnectionSource;
  /** Set when the endpoint came from a Docker context. */
  readonly contextName?: string;
  /** Ready for `new Docker(options)`; neutralises docker-modem's own DOCKER_HOST reading. */
  readonly options: DockerClientOptions;
}

/** Inputs besides the environment; every one has a sensible default. */
export interface ResolveDockerConnectionOptions {
  /** Defaults to `os.homedir()`. */
  readonly homeDir?: string;
  /** Reads a UTF-8 file, `undefined` when missing. Defaults to the real file system. */
  readonly readFile?: (path: string) => string | undefined;
  /** From Settings: an endpoint (`tcp://…`, `unix://…`, …) or `context:NAME`. Beats everything. */
  readonly override?: string;
  /** Defaults to `process.platform`; only decides the default endpoint. */
  readonly platform?: NodeJS.Platform;
}

/** The default Unix socket path. */
export const DEFAULT_UNIX_SOCKET = '/var/run/docker.sock';
/** The default Windows named pipe path (as used by Node). */
export const DEFAULT_NAMED_PIPE = '//./pipe/docker_engine';

/** The endpoint used when nothing is configured, per platform. */
export function defaultDockerEndpoint(platform: NodeJS.Platform): string {
  return platform === 'win32' ? `npipe://${DEFAULT_NAMED_PIPE}` : `unix://${DEFAULT_UNIX_SOCKET}`;
}

/**
 * Resolves the Docker endpoint with the CLI's precedence: override (Settings) > DOCKER_HOST >
 * DOCKER_CONTEXT > `currentContext` in `<DOCKER_CONFIG or ~/.docker>/config.json` > default socket.
 * Throws `DockerConnectionError` for unknown contexts, unsupported endpoints and missing TLS files.
 */
export function resolveDockerConnection(
  env: NodeJS.ProcessEnv,
  opts: ResolveDockerConnectionOptions = {},
): ResolvedConnection {
  const platform = opts.platform ?? process.platform;
  const homeDir = opts.homeDir ?? homedir();
  const readFile: ReadFile = opts.readFile ?? readFileIfExists;
  const configDir = dockerConfigDir(env, homeDir);
  const ctx: ResolveContext = { env, platform, homeDir, readFile, configDir };

  const override = opts.override?.trim();
  if (override !== undefined && override !== '') {
    if (override.startsWith('context:')) {
      return fromContext(override.slice('context:'.length).trim(), 'settings', ctx);
    }
    return fromHost(override, 'settings', envTls(ctx), ctx);
  }

  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) return fromHost(dockerHost, 'DOCKER_HOST', envTls(ctx), ctx);

  const dockerContext = env.DOCKER_CONTEXT?.trim();
  if (dockerContext) return fromContext(dockerContext, 'DOCKER_CONTEXT', ctx);

  const current = readCurrentContext(configDir, readFile);
  if (current !== undefined) return fromContext(current, 'config currentContext', ctx);

  return fromHost(defaultDockerEndpoint(platform), 'default', NO_TLS, ctx);
}

interface ResolveContext {
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly homeDir: string;
  readonly readFile: ReadFile;
  readonly configDir: string;
}

/** How TLS applies to a tcp/https endpoint; read lazily so unix endpoints never touch cert files. */
interface TlsPolicy {
  /** Use TLS for tcp:// endpoints. */
  readonly enabled: boolean;
  /** Verify the server certificate (otherwise an agent with `rejectUnauthorized: false`). */
  readonly verify: boolean;
  /** Require a CA (DOCKER_TLS_VERIFY semantics). */
  readonly requireCa: boolean;
  readonly material: () => TlsMaterial;
  /** Where the material comes from, for messages. */
  readonly where: string;
}

const NO_TLS: TlsPolicy = { enabled: false, verify: true, requireCa: false, material: () => ({}), where: '' };

/** Every connection-relevant key set explicitly, so docker-modem's env-derived defaults cannot leak in. */
const NEUTRAL_OPTIONS: DockerClientOptions = {
  socketPath: undefined,
  host: undefined,
  port: undefined,
  protocol: undefined,
  username: undefined,
  ca: undefined,
  cert: undefined,
  key: undefined,
};

function envTls(ctx: ResolveContext): TlsPolicy {
  const verify = isTruthy(ctx.env.DOCKER_TLS_VERIFY);
  const certDir = ctx.env.DOCKER_CERT_PATH?.trim() || ctx.configDir;
  return {
    enabled: verify || isTruthy(ctx.env.DOCKER_TLS),
    // An https:// endpoint without DOCKER_TLS_VERIFY/DOCKER_TLS still verifies against system CAs.
    verify: verify || !isTruthy(ctx.env.DOCKER_TLS),
    requireCa: verify,
    material: () => readTlsMaterial(certDir, ctx.readFile),
    where: ctx.env.DOCKER_CERT_PATH?.trim() ? `DOCKER_CERT_PATH (${certDir})` : certDir,
  };
}

function fromContext(name: string, source: ConnectionSource, ctx: ResolveContext): ResolvedConnection {
  if (name === DEFAULT_CONTEXT_NAME) {
    return { ...fromHost(defaultDockerEndpoint(ctx.platform), source, NO_TLS, ctx), contextName: name };
  }
  const context = readDockerContext(ctx.configDir, name, ctx.readFile);
  const material = context.tls;
  const hasMaterial = material.ca !== undefined || material.cert !== undefined || material.key !== undefined;
  const tls: TlsPolicy = {
    enabled: hasMaterial || context.skipTlsVerify,
    verify: !context.skipTlsVerify,
    requireCa: false,
    material: () => material,
    where: `the TLS files of context "${name}"`,
  };
  try {
    return { ...fromHost(context.host, source, tls, ctx), contextName: name };
  } catch (err) {
    if (!(err instanceof DockerConnectionError)) throw err;
    throw new DockerConnectionError({
      code: err.code,
      message: `Docker context "${name}" (${context.metaPath}): ${err.message}`,
      hint: err.hint,
      ...(err.endpoint === undefined ? {} : { endpoint: err.endpoint }),
      cause: err,
    });
  }
}

function fromHost(
  raw: string,
  source: ConnectionSource,
  tls: TlsPolicy,
  ctx: ResolveContext,
): ResolvedConnection {
  let host = raw.trim();
  if (host.startsWith('/')) host = `unix://${host}`;
  else if (!host.includes('://')) host = `tcp://${host}`;
  const scheme = host.slice(0, host.indexOf('://')).toLowerCase();
  const rest = host.slice(host.indexOf('://') + 3);

  switch (scheme) {
    case 'unix': {
      const socketPath = rest || DEFAULT_UNIX_SOCKET;
      return { endpoint: `unix://${socketPath}`, source, options: { ...NEUTRAL_OPTIONS, socketPath } };
    }
    case 'npipe': {
      const socketPath = rest || DEFAULT_NAMED_PIPE;
      return { endpoint: `npipe://${socketPath}`, source, options: { ...NEUTRAL_OPTIONS, socketPath } };
    }
    case 'tcp':
    case 'http':
    case 'https':
      return fromTcp(host, scheme, source, tls, raw);
    case 'ssh':
      return fromSsh(host, source, ctx, raw);
    default:
      throw invalidEndpoint(raw, source, `unsupported scheme "${scheme}://"`);
  }
}

function fromTcp(
  host: string,
  scheme: 'tcp' | 'http' | 'https',
  source: ConnectionSource,
  tls: TlsPolicy,
  raw: string,
): ResolvedConnection {
  const url = parseUrl(host, raw, source);
  if (!url.hostname) throw invalidEndpoint(raw, source, 'no host name');
  const useTls = scheme === 'https' || (scheme === 'tcp' && tls.enabled);
  const port = url.port ? Number(url.port) : useTls ? 2376 : 2375;
  const endpoint = `${scheme}://${url.hostname}:${port}`;
  if (!useTls) {
    return { endpoint, source, options: { ...NEUTRAL_OPTIONS, protocol: 'http', host: url.hostname, port } };
  }
  const material = tls.material();
  if (tls.requireCa && material.ca === undefined) {
    throw new DockerConnectionError({
      code: 'DOCKER_TLS',
      message: `DOCKER_TLS_VERIFY is set for ${endpoint} but there is no ca.pem in ${tls.where}.`,
      hint: 'Point DOCKER_CERT_PATH at the directory holding ca.pem, cert.pem and key.pem, or unset DOCKER_TLS_VERIFY.',
      endpoint,
    });
  }
  if ((material.cert === undefined) !== (material.key === undefined)) {
    throw new DockerConnectionError({
      code: 'DOCKER_TLS',
      message: `The client certificate for ${endpoint} is incomplete: ${tls.where} has ${
        material.cert === undefined ? 'key.pem but no cert.pem' : 'cert.pem but no key.pem'
      }.`,
      hint: 'Provide both cert.pem and key.pem (or neither).',
      endpoint,
    });
  }
  return {
    endpoint,
    source,
    options: {
      ...NEUTRAL_OPTIONS,
      protocol: 'https',
      host: url.hostname,
      port,
      ca: material.ca,
      cert: material.cert,
      key: material.key,
      // docker-modem does not forward rejectUnauthorized, but it does forward an agent.
      ...(tls.verify ? {} : { agent: new HttpsAgent({ rejectUnauthorized: false }) }),
    },
  };
}

const DEFAULT_SSH_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

function fromSsh(
  host: string,
  source: ConnectionSource,
  ctx: ResolveContext,
  raw: string,
): ResolvedConnection {
  const url = parseUrl(host, raw, source);
  if (!url.hostname) throw invalidEndpoint(raw, source, 'no host name');
  const username = decodeURIComponent(url.username) || ctx.env.USER || ctx.env.USERNAME || undefined;
  const port = url.port ? Number(url.port) : 22;
  const endpoint = `ssh://${url.username ? `${url.username}@` : ''}${url.hostname}${url.port ? `:${url.port}` : ''}`;
  // docker-modem runs `docker system dial-stdio` over ssh2; ssh2 needs an agent or a key.
  const agent = ctx.env.SSH_AUTH_SOCK?.trim();
  let sshOptions: NonNullable<Docker.DockerOptions['sshOptions']> = {};
  if (agent) {
    sshOptions = { agent };
  } else {
    for (const name of DEFAULT_SSH_KEYS) {
      const privateKey = ctx.readFile(join(ctx.homeDir, '.ssh', name));
      if (privateKey !== undefined) {
        sshOptions = { privateKey };
        break;
      }
    }
  }
  return {
    endpoint,
    source,
    options: { ...NEUTRAL_OPTIONS, protocol: 'ssh', host: url.hostname, port, username, sshOptions },
  };
}

function parseUrl(host: string, raw: string, source: ConnectionSource): URL {
  try {
    return new URL(host);
  } catch {
    throw invalidEndpoint(raw, source, 'not a valid URL');
  }
}

function invalidEndpoint(raw: string, source: ConnectionSource, why: string): DockerConnectionError {
  const from = source === 'settings' ? 'Settings' : source === 'default' ? 'the defaults' : source;
  return new DockerConnectionError({
    code: 'DOCKER_CONFIG',
    message: `Docker endpoint "${raw}" from ${from} is not usable: ${why}.`,
    hint: 'Use unix:///path, tcp://host:port, ssh://user@host, npipe:////./pipe/name or http(s)://host:port.',
  });
}

/** Env flags: set and not "", "0" or "false". (The CLI treats any non-empty value as true; "0" surprising users is not worth copying.) */
function isTruthy(value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}
