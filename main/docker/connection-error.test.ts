import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { connectDocker } from './connect.js';
import { DockerConnectionError, describeDockerError, describeEndpoint } from './connection-error.js';
import type { ResolvedConnection } from './connection.js';

const unixConn: ResolvedConnection = {
  endpoint: 'unix:///var/run/docker.sock',
  source: 'default',
  options: { socketPath: '/var/run/docker.sock' },
};
const tcpConn: ResolvedConnection = {
  endpoint: 'tcp://docker.example:2376',
  source: 'DOCKER_HOST',
  options: { protocol: 'https', host: 'docker.example', port: 2376 },
};
const sshConn: ResolvedConnection = {
  endpoint: 'ssh://me@box',
  source: 'DOCKER_CONTEXT',
  contextName: 'box',
  options: { protocol: 'ssh', host: 'box', port: 22, username: 'me' },
};

function nodeError(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code, ...extra });
}

describe('describeDockerError', () => {
  it('ENOENT on a socket: daemon not running, names the socket', () => {
    const d = describeDockerError(nodeError('ENOENT', 'connect ENOENT /var/run/docker.sock'), unixConn);
    expect(d.code).toBe('DOCKER_UNREACHABLE');
    expect(d.message).toContain('unix:///var/run/docker.sock');
    expect(d.message).toContain('does not exist');
    expect(d.hint).toContain('sudo systemctl start docker');
    expect(d.hint).toContain('DOCKER_HOST');
  });

  it('ECONNREFUSED names the endpoint and its source', () => {
    const d = describeDockerError(nodeError('ECONNREFUSED', 'connect ECONNREFUSED 1.2.3.4:2376'), tcpConn);
    expect(d.code).toBe('DOCKER_UNREACHABLE');
    expect(d.message).toBe(
      'Docker at tcp://docker.example:2376 (from DOCKER_HOST) refused the connection (connect ECONNREFUSED 1.2.3.4:2376).',
    );
  });

  it('looks inside AggregateError (Node happy eyeballs)', () => {
    const agg = new AggregateError([nodeError('ECONNREFUSED', 'connect ECONNREFUSED ::1:2375')], 'failed');
    expect(describeDockerError(agg, tcpConn).code).toBe('DOCKER_UNREACHABLE');
  });

  it('ENOTFOUND says the host name did not resolve', () => {
    const d = describeDockerError(nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND docker.example'), tcpConn);
    expect(d.code).toBe('DOCKER_UNREACHABLE');
    expect(d.message).toContain('could not be resolved');
  });

  it('EACCES is a permission problem with a docker-group hint', () => {
    const d = describeDockerError(nodeError('EACCES', 'connect EACCES /var/run/docker.sock'), unixConn);
    expect(d.code).toBe('DOCKER_PERMISSION');
    expect(d.message).toContain('unix:///var/run/docker.sock');
    expect(d.hint).toContain('usermod -aG docker');
  });

  it('ETIMEDOUT and aborts are timeouts', () => {
    expect(describeDockerError(nodeError('ETIMEDOUT', 'connect ETIMEDOUT'), tcpConn).code).toBe(
      'DOCKER_TIMEOUT',
    );
    const abort = Object.assign(new Error('The operation was aborted'), {
      name: 'AbortError',
      code: 'ABORT_ERR',
    });
    const d = describeDockerError(abort, tcpConn);
    expect(d.code).toBe('DOCKER_TIMEOUT');
    expect(d.message).toContain('tcp://docker.example:2376');
  });

  it('certificate errors are TLS problems', () => {
    for (const err of [
      nodeError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'),
      nodeError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"),
      nodeError('CERT_HAS_EXPIRED', 'certificate has expired'),
      nodeError('EPROTO', 'write EPROTO ssl3_get_record:wrong version number'),
      nodeError('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'),
    ]) {
      const d = describeDockerError(err, tcpConn);
      expect(d.code).toBe('DOCKER_TLS');
      expect(d.message).toContain('tcp://docker.example:2376');
      expect(d.hint).toContain('DOCKER_CERT_PATH');
    }
  });

  it('plain HTTP to a TLS port is a TLS problem', () => {
    const err = Object.assign(new Error('(HTTP code 400) unexpected'), {
      statusCode: 400,
      json: 'Client sent an HTTP request to an HTTPS server.\n',
    });
    const d = describeDockerError(err, tcpConn);
    expect(d.code).toBe('DOCKER_TLS');
    expect(d.message).toContain('HTTPS server');
  });

  it('ssh authentication failures', () => {
    const err = Object.assign(new Error('All configured authentication methods failed'), {
      level: 'client-authentication',
    });
    const d = describeDockerError(err, sshConn);
    expect(d.code).toBe('DOCKER_SSH');
    expect(d.message).toContain('ssh://me@box');
    expect(d.hint).toContain('ssh-add');
  });

  it('remote host without docker for ssh', () => {
    expect(describeDockerError(new Error('bash: docker: command not found'), sshConn).code).toBe(
      'DOCKER_SSH',
    );
  });

  it('other HTTP answers are API errors', () => {
    const err = Object.assign(new Error('(HTTP code 500) server error'), {
      statusCode: 500,
      json: { message: 'boom' },
    });
    const d = describeDockerError(err, unixConn);
    expect(d.code).toBe('DOCKER_API');
    expect(d.message).toContain('HTTP 500 (boom)');
  });

  it('passes a DockerConnectionError through', () => {
    const err = new DockerConnectionError({ code: 'DOCKER_CONTEXT_NOT_FOUND', message: 'm', hint: 'h' });
    expect(describeDockerError(err, unixConn)).toEqual({
      code: 'DOCKER_CONTEXT_NOT_FOUND',
      message: 'm',
      hint: 'h',
    });
  });

  it('anything else is unknown but still names the endpoint', () => {
    const d = describeDockerError('weird', unixConn);
    expect(d.code).toBe('DOCKER_UNKNOWN');
    expect(d.message).toContain('unix:///var/run/docker.sock');
    expect(describeDockerError(undefined, unixConn).code).toBe('DOCKER_UNKNOWN');
  });

  it('describeEndpoint says where the endpoint came from', () => {
    expect(describeEndpoint(unixConn)).toBe('unix:///var/run/docker.sock (default)');
    expect(describeEndpoint(sshConn)).toBe('ssh://me@box (Docker context "box" from DOCKER_CONTEXT)');
    expect(describeEndpoint({ ...sshConn, source: 'config currentContext' })).toContain(
      'from the Docker config',
    );
    expect(describeEndpoint({ ...unixConn, source: 'settings' })).toContain('from Settings');
    expect(describeEndpoint({ ...sshConn, source: 'settings' })).toContain('context "box" from Settings');
  });
});

describe('DockerConnectionError', () => {
  it('keeps code, hint, endpoint and cause', () => {
    const cause = new Error('root');
    const err = new DockerConnectionError({
      code: 'DOCKER_TLS',
      message: 'm',
      hint: 'h',
      endpoint: 'e',
      cause,
    });
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: 'DockerConnectionError',
      code: 'DOCKER_TLS',
      hint: 'h',
      endpoint: 'e',
      cause,
    });
  });
});

describe('connectDocker (fake client)', () => {
  const version = { Version: '27.0.1', ApiVersion: '1.46', Os: 'linux' };

  it('returns the client and server info when ping and version answer', async () => {
    const fake = { ping: async () => 'OK', version: async () => version };
    const result = await connectDocker(unixConn, { createDocker: () => fake as unknown as Docker });
    expect(result.info).toEqual({ serverVersion: '27.0.1', apiVersion: '1.46', os: 'linux' });
    expect(result.docker).toBe(fake);
  });

  it('passes the resolved options to the client factory', async () => {
    let seen: unknown;
    const fake = { ping: async () => 'OK', version: async () => version };
    await connectDocker(tcpConn, {
      createDocker: (o) => {
        seen = o;
        return fake as unknown as Docker;
      },
    });
    expect(seen).toBe(tcpConn.options);
  });

  it('times out with DOCKER_TIMEOUT and aborts the request', async () => {
    let signal: AbortSignal | undefined;
    const fake = {
      ping: (opts: { abortSignal: AbortSignal }) => {
        signal = opts.abortSignal;
        return new Promise(() => {});
      },
      version: async () => version,
    };
    const err = await connectDocker(tcpConn, {
      timeoutMs: 20,
      createDocker: () => fake as unknown as Docker,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerConnectionError);
    expect(err).toMatchObject({ code: 'DOCKER_TIMEOUT', endpoint: 'tcp://docker.example:2376' });
    expect((err as Error).message).toContain('tcp://docker.example:2376');
    expect(signal?.aborted).toBe(true);
  });

  it('wraps ping failures with the described message', async () => {
    const fake = {
      ping: async () => {
        throw nodeError('ECONNREFUSED', 'connect ECONNREFUSED');
      },
      version: async () => version,
    };
    await expect(
      connectDocker(tcpConn, { createDocker: () => fake as unknown as Docker }),
    ).rejects.toMatchObject({
      code: 'DOCKER_UNREACHABLE',
      message: expect.stringContaining('tcp://docker.example:2376'),
    });
  });

  it('wraps a throwing client constructor', async () => {
    const create = () => {
      throw nodeError('ENOENT', "ENOENT: no such file or directory, open '/certs/ca.pem'");
    };
    await expect(connectDocker(tcpConn, { createDocker: create })).rejects.toBeInstanceOf(
      DockerConnectionError,
    );
  });
});
