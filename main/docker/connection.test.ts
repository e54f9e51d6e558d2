import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent as HttpsAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DockerConnectionError } from './connection-error.js';
import { resolveDockerConnection } from './connection.js';
import { contextStorageId } from './docker-contexts.js';

let home: string;
let dockerDir: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'taskdeck-conn-'));
  dockerDir = join(home, '.docker');
  mkdirSync(dockerDir, { recursive: true });
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function writeConfig(dir: string, config: unknown): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
}

function writeContext(
  dir: string,
  name: string,
  host: string,
  extra: { skipTlsVerify?: boolean; tls?: Record<string, string> } = {},
): void {
  const id = contextStorageId(name);
  const metaDir = join(dir, 'contexts', 'meta', id);
  mkdirSync(metaDir, { recursive: true });
  writeFileSync(
    join(metaDir, 'meta.json'),
    JSON.stringify({
      Name: name,
      Metadata: {},
      Endpoints: { docker: { Host: host, SkipTLSVerify: !!extra.skipTlsVerify } },
    }),
  );
  if (extra.tls) {
    const tlsDir = join(dir, 'contexts', 'tls', id, 'docker');
    mkdirSync(tlsDir, { recursive: true });
    for (const [file, text] of Object.entries(extra.tls)) writeFileSync(join(tlsDir, file), text);
  }
}

function writePems(dir: string, files: readonly string[] = ['ca.pem', 'cert.pem', 'key.pem']): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f), `PEM ${f}`);
}

function catchError(fn: () => unknown): DockerConnectionError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DockerConnectionError);
    return err as DockerConnectionError;
  }
  throw new Error('expected a throw');
}

describe('resolveDockerConnection: defaults', () => {
  it('uses the default unix socket when nothing is configured', () => {
    const r = resolveDockerConnection({}, { homeDir: home, platform: 'linux' });
    expect(r).toEqual({
      endpoint: 'unix:///var/run/docker.sock',
      source: 'default',
      options: { socketPath: '/var/run/docker.sock' },
    });
    expect(r.contextName).toBeUndefined();
  });

  it('uses the named pipe on win32', () => {
    const r = resolveDockerConnection({}, { homeDir: home, platform: 'win32' });
    expect(r.endpoint).toBe('npipe:////./pipe/docker_engine');
    expect(r.options.socketPath).toBe('//./pipe/docker_engine');
  });

  it('sets every connection key explicitly so docker-modem cannot fall back to process.env', () => {
    const r = resolveDockerConnection({}, { homeDir: home, platform: 'linux' });
    expect(Object.keys(r.options)).toEqual(
      expect.arrayContaining(['host', 'port', 'protocol', 'ca', 'cert', 'key']),
    );
    expect(r.options.host).toBeUndefined();
  });

  it('ignores an empty DOCKER_HOST and DOCKER_CONTEXT', () => {
    const r = resolveDockerConnection(
      { DOCKER_HOST: '', DOCKER_CONTEXT: ' ' },
      { homeDir: home, platform: 'linux' },
    );
    expect(r.source).toBe('default');
  });

  it('uses config.json without currentContext as default', () => {
    writeConfig(dockerDir, { auths: {} });
    expect(resolveDockerConnection({}, { homeDir: home, platform: 'linux' }).source).toBe('default');
  });

  it('reports malformed config.json with its path', () => {
    writeFileSync(join(dockerDir, 'config.json'), '{nope');
    const err = catchError(() => resolveDockerConnection({}, { homeDir: home }));
    expect(err.code).toBe('DOCKER_CONFIG');
    expect(err.message).toContain(join(dockerDir, 'config.json'));
  });
});

describe('resolveDockerConnection: DOCKER_HOST', () => {
  const resolve = (env: NodeJS.ProcessEnv) =>
    resolveDockerConnection(env, { homeDir: home, platform: 'linux' });

  it('unix:// with a path', () => {
    expect(resolve({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' })).toEqual({
      endpoint: 'unix:///run/user/1000/docker.sock',
      source: 'DOCKER_HOST',
      options: { socketPath: '/run/user/1000/docker.sock' },
    });
  });

  it('unix:// without a path falls back to the default socket', () => {
    expect(resolve({ DOCKER_HOST: 'unix://' }).options.socketPath).toBe('/var/run/docker.sock');
  });

  it('a bare absolute path is a unix socket', () => {
    expect(resolve({ DOCKER_HOST: '/tmp/d.sock' }).endpoint).toBe('unix:///tmp/d.sock');
  });

  it('npipe://', () => {
    const r = resolve({ DOCKER_HOST: 'npipe:////./pipe/dockerDesktopLinuxEngine' });
    expect(r.endpoint).toBe('npipe:////./pipe/dockerDesktopLinuxEngine');
    expect(r.options.socketPath).toBe('//./pipe/dockerDesktopLinuxEngine');
  });

  it('tcp:// without TLS is plain http with port 2375 by default', () => {
    expect(resolve({ DOCKER_HOST: 'tcp://10.0.0.5' })).toEqual({
      endpoint: 'tcp://10.0.0.5:2375',
      source: 'DOCKER_HOST',
      options: { protocol: 'http', host: '10.0.0.5', port: 2375 },
    });
  });

  it('host:port without a scheme is tcp', () => {
    const r = resolve({ DOCKER_HOST: 'localhost:2375' });
    expect(r.endpoint).toBe('tcp://localhost:2375');
    expect(r.options).toMatchObject({ protocol: 'http', host: 'localhost', port: 2375 });
  });

  it('http:// and https://', () => {
    expect(resolve({ DOCKER_HOST: 'http://h:8080' }).options).toMatchObject({ protocol: 'http', port: 8080 });
    const https = resolve({ DOCKER_HOST: 'https://h' });
    expect(https.endpoint).toBe('https://h:2376');
    expect(https.options).toMatchObject({ protocol: 'https', host: 'h', port: 2376 });
    expect(https.options.agent).toBeUndefined();
  });

  it('tcp:// with DOCKER_TLS_VERIFY reads ca/cert/key from DOCKER_CERT_PATH', () => {
    const certs = join(home, 'certs');
    writePems(certs);
    const r = resolve({
      DOCKER_HOST: 'tcp://docker.example:2376',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: certs,
    });
    expect(r).toEqual({
      endpoint: 'tcp://docker.example:2376',
      source: 'DOCKER_HOST',
      options: {
        protocol: 'https',
        host: 'docker.example',
        port: 2376,
        ca: 'PEM ca.pem',
        cert: 'PEM cert.pem',
        key: 'PEM key.pem',
      },
    });
  });

  it('TLS material defaults to the docker config dir (respecting DOCKER_CONFIG)', () => {
    writePems(dockerDir);
    expect(resolve({ DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1' }).options).toMatchObject({
      port: 2376,
      ca: 'PEM ca.pem',
    });
    const alt = join(home, 'alt-config');
    writePems(alt, ['ca.pem']);
    expect(
      resolve({ DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1', DOCKER_CONFIG: alt }).options,
    ).toMatchObject({
      ca: 'PEM ca.pem',
      cert: undefined,
    });
  });

  it('DOCKER_TLS_VERIFY=0 does not turn TLS on', () => {
    expect(resolve({ DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '0' }).options.protocol).toBe('http');
  });

  it('DOCKER_TLS without verify uses TLS and skips verification', () => {
    const r = resolve({ DOCKER_HOST: 'tcp://h', DOCKER_TLS: '1' });
    expect(r.options.protocol).toBe('https');
    expect(r.options.agent).toBeInstanceOf(HttpsAgent);
    expect(r.options.agent?.options.rejectUnauthorized).toBe(false);
  });

  it('DOCKER_TLS_VERIFY without a ca.pem is an error naming where it looked', () => {
    const certs = join(home, 'empty-certs');
    const err = catchError(() =>
      resolve({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs }),
    );
    expect(err.code).toBe('DOCKER_TLS');
    expect(err.message).toContain(certs);
    expect(err.message).toContain('tcp://h:2376');
  });

  it('a cert without its key is an error', () => {
    const certs = join(home, 'half');
    writePems(certs, ['ca.pem', 'cert.pem']);
    const err = catchError(() =>
      resolve({ DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs }),
    );
    expect(err.code).toBe('DOCKER_TLS');
    expect(err.message).toContain('no key.pem');
  });

  it('ssh://user@host:port uses the ssh agent', () => {
    const r = resolve({ DOCKER_HOST: 'ssh://deploy@build.example:2222', SSH_AUTH_SOCK: '/tmp/agent.sock' });
    expect(r).toEqual({
      endpoint: 'ssh://deploy@build.example:2222',
      source: 'DOCKER_HOST',
      options: {
        protocol: 'ssh',
        host: 'build.example',
        port: 2222,
        username: 'deploy',
        sshOptions: { agent: '/tmp/agent.sock' },
      },
    });
  });

  it('ssh:// without agent falls back to a default key, user and port', () => {
    mkdirSync(join(home, '.ssh'));
    writeFileSync(join(home, '.ssh', 'id_rsa'), 'RSA KEY');
    const r = resolve({ DOCKER_HOST: 'ssh://build.example', USER: 'me' });
    expect(r.endpoint).toBe('ssh://build.example');
    expect(r.options).toMatchObject({ username: 'me', port: 22, sshOptions: { privateKey: 'RSA KEY' } });
  });

  it('rejects unsupported schemes and malformed URLs', () => {
    const fd = catchError(() => resolve({ DOCKER_HOST: 'fd://' }));
    expect(fd.code).toBe('DOCKER_CONFIG');
    expect(fd.message).toContain('"fd://" from DOCKER_HOST');
    expect(catchError(() => resolve({ DOCKER_HOST: 'tcp://[bad' })).code).toBe('DOCKER_CONFIG');
  });

  it('beats DOCKER_CONTEXT and currentContext', () => {
    writeConfig(dockerDir, { currentContext: 'nope' });
    const r = resolve({ DOCKER_HOST: 'tcp://h:1', DOCKER_CONTEXT: 'also-nope' });
    expect(r.source).toBe('DOCKER_HOST');
    expect(r.contextName).toBeUndefined();
  });
});

describe('resolveDockerConnection: contexts', () => {
  it('DOCKER_CONTEXT picks a stored context', () => {
    writeContext(dockerDir, 'remote', 'tcp://remote.example:2375');
    const r = resolveDockerConnection({ DOCKER_CONTEXT: 'remote' }, { homeDir: home });
    expect(r).toEqual({
      endpoint: 'tcp://remote.example:2375',
      source: 'DOCKER_CONTEXT',
      contextName: 'remote',
      options: { protocol: 'http', host: 'remote.example', port: 2375 },
    });
  });

  it('DOCKER_CONTEXT beats currentContext', () => {
    writeConfig(dockerDir, { currentContext: 'b' });
    writeContext(dockerDir, 'a', 'unix:///a.sock');
    writeContext(dockerDir, 'b', 'unix:///b.sock');
    expect(resolveDockerConnection({ DOCKER_CONTEXT: 'a' }, { homeDir: home }).endpoint).toBe(
      'unix:///a.sock',
    );
  });

  it('currentContext from config.json, honouring DOCKER_CONFIG', () => {
    const alt = join(home, 'cfg');
    writeConfig(alt, { currentContext: 'desktop-linux' });
    writeContext(alt, 'desktop-linux', `unix://${home}/.docker/run/docker.sock`);
    const r = resolveDockerConnection({ DOCKER_CONFIG: alt }, { homeDir: home });
    expect(r.source).toBe('config currentContext');
    expect(r.contextName).toBe('desktop-linux');
    expect(r.options.socketPath).toBe(`${home}/.docker/run/docker.sock`);
  });

  it('context "default" means the default socket', () => {
    writeConfig(dockerDir, { currentContext: 'default' });
    const r = resolveDockerConnection({}, { homeDir: home, platform: 'linux' });
    expect(r).toMatchObject({
      endpoint: 'unix:///var/run/docker.sock',
      source: 'config currentContext',
      contextName: 'default',
    });
  });

  it('uses the context TLS material for tcp endpoints', () => {
    writeContext(dockerDir, 'secure', 'tcp://secure.example:2376', {
      tls: { 'ca.pem': 'CA', 'cert.pem': 'CERT', 'key.pem': 'KEY' },
    });
    const r = resolveDockerConnection({ DOCKER_CONTEXT: 'secure' }, { homeDir: home });
    expect(r.options).toEqual({
      protocol: 'https',
      host: 'secure.example',
      port: 2376,
      ca: 'CA',
      cert: 'CERT',
      key: 'KEY',
    });
  });

  it('SkipTLSVerify gives https with verification off', () => {
    writeContext(dockerDir, 'lab', 'tcp://lab:2376', { skipTlsVerify: true });
    const r = resolveDockerConnection({ DOCKER_CONTEXT: 'lab' }, { homeDir: home });
    expect(r.options.protocol).toBe('https');
    expect(r.options.agent?.options.rejectUnauthorized).toBe(false);
  });

  it('ignores env TLS settings for contexts', () => {
    writeContext(dockerDir, 'plain', 'tcp://plain:2375');
    const r = resolveDockerConnection({ DOCKER_CONTEXT: 'plain', DOCKER_TLS_VERIFY: '1' }, { homeDir: home });
    expect(r.options.protocol).toBe('http');
  });

  it('ssh contexts', () => {
    writeContext(dockerDir, 'box', 'ssh://me@box');
    const r = resolveDockerConnection({ DOCKER_CONTEXT: 'box', SSH_AUTH_SOCK: '/a' }, { homeDir: home });
    expect(r.endpoint).toBe('ssh://me@box');
    expect(r.options).toMatchObject({ protocol: 'ssh', username: 'me', host: 'box', port: 22 });
  });

  it('unknown context names the context and the path looked at', () => {
    const err = catchError(() => resolveDockerConnection({ DOCKER_CONTEXT: 'ghost' }, { homeDir: home }));
    expect(err.code).toBe('DOCKER_CONTEXT_NOT_FOUND');
    expect(err.message).toContain('"ghost"');
    expect(err.message).toContain(
      join(dockerDir, 'contexts', 'meta', contextStorageId('ghost'), 'meta.json'),
    );
    expect(err.hint).toContain('docker context ls');
  });

  it('unknown currentContext is an error too', () => {
    writeConfig(dockerDir, { currentContext: 'gone' });
    expect(catchError(() => resolveDockerConnection({}, { homeDir: home })).message).toContain('"gone"');
  });

  it('a context without a docker host is a config error', () => {
    const id = contextStorageId('empty');
    mkdirSync(join(dockerDir, 'contexts', 'meta', id), { recursive: true });
    writeFileSync(
      join(dockerDir, 'contexts', 'meta', id, 'meta.json'),
      JSON.stringify({ Name: 'empty', Endpoints: {} }),
    );
    expect(
      catchError(() => resolveDockerConnection({ DOCKER_CONTEXT: 'empty' }, { homeDir: home })).code,
    ).toBe('DOCKER_CONFIG');
  });

  it('a context with an unusable host names the context', () => {
    writeContext(dockerDir, 'weird', 'fd://');
    const err = catchError(() => resolveDockerConnection({ DOCKER_CONTEXT: 'weird' }, { homeDir: home }));
    expect(err.code).toBe('DOCKER_CONFIG');
    expect(err.message).toContain('Docker context "weird"');
  });
});

describe('resolveDockerConnection: Settings override', () => {
  it('an endpoint override beats DOCKER_HOST', () => {
    const r = resolveDockerConnection(
      { DOCKER_HOST: 'tcp://env:1' },
      { homeDir: home, override: 'unix:///o.sock' },
    );
    expect(r).toMatchObject({ endpoint: 'unix:///o.sock', source: 'settings' });
  });

  it('a context override beats DOCKER_HOST', () => {
    writeContext(dockerDir, 'picked', 'tcp://picked:2375');
    const r = resolveDockerConnection(
      { DOCKER_HOST: 'tcp://env:1' },
      { homeDir: home, override: 'context:picked' },
    );
    expect(r).toMatchObject({ endpoint: 'tcp://picked:2375', source: 'settings', contextName: 'picked' });
  });

  it('a tcp override still honours DOCKER_TLS_VERIFY like `docker -H`', () => {
    writePems(dockerDir);
    const r = resolveDockerConnection({ DOCKER_TLS_VERIFY: '1' }, { homeDir: home, override: 'tcp://o' });
    expect(r.options).toMatchObject({ protocol: 'https', port: 2376, ca: 'PEM ca.pem' });
  });

  it('a blank override is ignored', () => {
    expect(resolveDockerConnection({}, { homeDir: home, override: '  ', platform: 'linux' }).source).toBe(
      'default',
    );
  });
});

describe('resolveDockerConnection: injected readFile', () => {
  it('reads only through readFile, so it is pure given its inputs', () => {
    const files: Record<string, string> = {
      '/h/.docker/config.json': JSON.stringify({ currentContext: 'x' }),
      [`/h/.docker/contexts/meta/${contextStorageId('x')}/meta.json`]: JSON.stringify({
        Name: 'x',
        Endpoints: { docker: { Host: 'tcp://x:2375' } },
      }),
    };
    const seen: string[] = [];
    const r = resolveDockerConnection(
      {},
      {
        homeDir: '/h',
        readFile: (p) => {
          seen.push(p);
          return files[p];
        },
      },
    );
    expect(r.endpoint).toBe('tcp://x:2375');
    expect(seen.every((p) => p.startsWith('/h/.docker/'))).toBe(true);
  });
});
