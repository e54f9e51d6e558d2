import type { ResolvedConnection } from './connection.js';

/** Stable codes for everything that can go wrong reaching a Docker daemon. */
export type DockerErrorCode =
  | 'DOCKER_UNREACHABLE'
  | 'DOCKER_PERMISSION'
  | 'DOCKER_TLS'
  | 'DOCKER_TIMEOUT'
  | 'DOCKER_SSH'
  | 'DOCKER_CONFIG'
  | 'DOCKER_CONTEXT_NOT_FOUND'
  | 'DOCKER_API'
  | 'DOCKER_UNKNOWN';

/** A user-facing explanation of a Docker connection problem. */
export interface DockerErrorDescription {
  readonly code: DockerErrorCode;
  /** One sentence naming the endpoint and what happened. */
  readonly message: string;
  /** What the user can do about it. */
  readonly hint: string;
}

/** Thrown by connection resolution and `connectDocker`; carries a code and a hint for the UI. */
export class DockerConnectionError extends Error {
  override readonly name = 'DockerConnectionError';
  readonly code: DockerErrorCode;
  readonly hint: string;
  /** The endpoint involved, when one had been resolved. */
  readonly endpoint: string | undefined;

  constructor(init: DockerErrorDescription & { readonly endpoint?: string; readonly cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.hint = init.hint;
    this.endpoint = init.endpoint;
  }
}

const START_HINT =
  'Start Docker (e.g. `sudo systemctl start docker` / Docker Desktop), or set DOCKER_HOST / choose a context in Settings.';

const TLS_ERROR_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ENOTSOCK',
]);

interface ErrorFacts {
  readonly code: string | undefined;
  readonly name: string | undefined;
  readonly message: string;
  readonly statusCode: number | undefined;
  readonly level: string | undefined;
  readonly reasonName: string | undefined;
}

/**
 * Turns whatever dockerode, docker-modem, Node's net/tls or ssh2 threw into a sentence that names the
 * endpoint, plus a hint. Never throws.
 */
export function describeDockerError(err: unknown, conn: ResolvedConnection): DockerErrorDescription {
  if (err instanceof DockerConnectionError) {
    return { code: err.code, message: err.message, hint: err.hint };
  }
  const facts = factsOf(err);
  const where = describeEndpoint(conn);
  const detail = facts.message ? ` (${facts.message})` : '';
  const code = facts.code;

  if (code === 'ENOENT' && isLocalSocket(conn)) {
    return {
      code: 'DOCKER_UNREACHABLE',
      message: `No Docker daemon is listening at ${where}: the socket does not exist.`,
      hint: START_HINT,
    };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return {
      code: 'DOCKER_PERMISSION',
      message: `Permission denied connecting to Docker at ${where}.`,
      hint:
        'Add your user to the docker group (`sudo usermod -aG docker $USER`, then log out and in), ' +
        'use rootless Docker, or choose another context in Settings.',
    };
  }
  if (
    code === 'ETIMEDOUT' ||
    code === 'ESOCKETTIMEDOUT' ||
    code === 'ABORT_ERR' ||
    facts.name === 'TimeoutError' ||
    facts.name === 'AbortError' ||
    facts.reasonName === 'TimeoutError' ||
    facts.level === 'client-timeout'
  ) {
    return {
      code: 'DOCKER_TIMEOUT',
      message: `Docker at ${where} did not answer in time${detail}.`,
      hint: `Check that the daemon is running and reachable (network, firewall, VPN). ${START_HINT}`,
    };
  }
  if (isTlsError(facts)) {
    return {
      code: 'DOCKER_TLS',
      message: `TLS handshake with Docker at ${where} failed${detail}.`,
      hint:
        'Check DOCKER_TLS_VERIFY and the ca.pem / cert.pem / key.pem in DOCKER_CERT_PATH (or the context’s TLS ' +
        'material), and that the endpoint uses the right port for TLS (usually 2376).',
    };
  }
  if (facts.level === 'client-authentication') {
    return {
      code: 'DOCKER_SSH',
      message: `SSH authentication to Docker at ${where} failed${detail}.`,
      hint: 'Load your key into ssh-agent (`ssh-add`) so SSH_AUTH_SOCK is set, or check the user in the ssh:// URL.',
    };
  }
  if (conn.options.protocol === 'ssh' && /dial-stdio|command not found|not found/i.test(facts.message)) {
    return {
      code: 'DOCKER_SSH',
      message: `The SSH host of ${where} could not run \`docker system dial-stdio\`${detail}.`,
      hint: 'Install the docker CLI on the remote host and make sure the SSH user may use it.',
    };
  }
  if (
    (code !== undefined && UNREACHABLE_CODES.has(code)) ||
    code === 'ENOENT' ||
    facts.level === 'client-socket'
  ) {
    const what =
      code === 'ECONNREFUSED'
        ? 'refused the connection'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'has a host name that could not be resolved'
          : 'could not be reached';
    return {
      code: 'DOCKER_UNREACHABLE',
      message: `Docker at ${where} ${what}${detail}.`,
      hint: START_HINT,
    };
  }
  if (facts.statusCode !== undefined) {
    return {
      code: 'DOCKER_API',
      message: `Docker at ${where} answered with HTTP ${facts.statusCode}${detail}.`,
      hint: 'The daemon is reachable but refused the request; check its logs and version.',
    };
  }
  return {
    code: 'DOCKER_UNKNOWN',
    message: `Could not talk to Docker at ${where}${detail}.`,
    hint: START_HINT,
  };
}

/** "unix:///var/run/docker.sock (from DOCKER_HOST)" — the endpoint plus where it came from. */
export function describeEndpoint(conn: ResolvedConnection): string {
  switch (conn.source) {
    case 'DOCKER_HOST':
      return `${conn.endpoint} (from DOCKER_HOST)`;
    case 'DOCKER_CONTEXT':
      return `${conn.endpoint} (Docker context "${conn.contextName ?? '?'}" from DOCKER_CONTEXT)`;
    case 'config currentContext':
      return `${conn.endpoint} (Docker context "${conn.contextName ?? '?'}" from the Docker config)`;
    case 'settings':
      return conn.contextName === undefined
        ? `${conn.endpoint} (from Settings)`
        : `${conn.endpoint} (Docker context "${conn.contextName}" from Settings)`;
    case 'default':
      return `${conn.endpoint} (default)`;
  }
}

function isLocalSocket(conn: ResolvedConnection): boolean {
  return conn.endpoint.startsWith('unix://') || conn.endpoint.startsWith('npipe://');
}

function isTlsError(facts: ErrorFacts): boolean {
  if (facts.code !== undefined && (TLS_ERROR_CODES.has(facts.code) || facts.code.startsWith('ERR_SSL_'))) {
    return true;
  }
  if (facts.code?.startsWith('ERR_OSSL') || facts.code?.startsWith('ERR_TLS')) return true;
  // The daemon answers a plain-HTTP request on its TLS port with a 400 and this text.
  return /certificate|ssl routines|HTTP request to an HTTPS server|tls/i.test(facts.message);
}

/** Digs the useful fields out of an unknown error, looking through AggregateError and `cause`. */
function factsOf(err: unknown): ErrorFacts {
  let current: unknown = err;
  // Node 20's happy-eyeballs wraps per-address failures in an AggregateError.
  if (current instanceof AggregateError && current.errors.length > 0 && !codeOf(current)) {
    current = current.errors[0];
  }
  const obj = (typeof current === 'object' && current !== null ? current : {}) as Record<string, unknown>;
  const cause = (typeof obj.cause === 'object' && obj.cause !== null ? obj.cause : {}) as Record<
    string,
    unknown
  >;
  const json = obj.json;
  const jsonMessage =
    typeof json === 'object' && json !== null && typeof (json as Record<string, unknown>).message === 'string'
      ? ((json as Record<string, unknown>).message as string)
      : typeof json === 'string'
        ? json
        : undefined;
  const rawMessage =
    jsonMessage ??
    (current instanceof Error
      ? current.message
      : typeof current === 'string'
        ? current
        : String(current ?? ''));
  return {
    code: codeOf(current) ?? (typeof cause.code === 'string' ? cause.code : undefined),
    name: typeof obj.name === 'string' ? obj.name : undefined,
    message: rawMessage.trim(),
    statusCode: typeof obj.statusCode === 'number' ? obj.statusCode : undefined,
    level: typeof obj.level === 'string' ? obj.level : undefined,
    reasonName: typeof cause.name === 'string' ? cause.name : undefined,
  };
}

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}
