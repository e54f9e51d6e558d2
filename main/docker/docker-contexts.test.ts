import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DockerConnectionError } from './connection-error.js';
import {
  contextStorageId,
  dockerConfigDir,
  listDockerContexts,
  readCurrentContext,
  readDockerContext,
  readFileIfExists,
  readTlsMaterial,
} from './docker-contexts.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'taskdeck-ctx-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeMeta(name: string, body: string): void {
  const metaDir = join(dir, 'contexts', 'meta', contextStorageId(name));
  mkdirSync(metaDir, { recursive: true });
  writeFileSync(join(metaDir, 'meta.json'), body);
}

describe('docker-contexts', () => {
  it('contextStorageId is the hex sha256 of the name, as the CLI stores it', () => {
    // sha256("default"), a value any docker install can confirm.
    expect(contextStorageId('default')).toBe(
      '37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f',
    );
  });

  it('dockerConfigDir honours DOCKER_CONFIG', () => {
    expect(dockerConfigDir({}, '/home/u')).toBe(join('/home/u', '.docker'));
    expect(dockerConfigDir({ DOCKER_CONFIG: '/cfg' }, '/home/u')).toBe('/cfg');
    expect(dockerConfigDir({ DOCKER_CONFIG: '' }, '/home/u')).toBe(join('/home/u', '.docker'));
  });

  it('readCurrentContext handles missing, empty and set values', () => {
    expect(readCurrentContext(dir, readFileIfExists)).toBeUndefined();
    writeFileSync(join(dir, 'config.json'), '');
    expect(readCurrentContext(dir, readFileIfExists)).toBeUndefined();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: '' }));
    expect(readCurrentContext(dir, readFileIfExists)).toBeUndefined();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: 'colima' }));
    expect(readCurrentContext(dir, readFileIfExists)).toBe('colima');
  });

  it('readDockerContext reads host, SkipTLSVerify and TLS files', () => {
    writeMeta(
      'c',
      JSON.stringify({ Name: 'c', Endpoints: { docker: { Host: 'tcp://c:2376', SkipTLSVerify: true } } }),
    );
    const tlsDir = join(dir, 'contexts', 'tls', contextStorageId('c'), 'docker');
    mkdirSync(tlsDir, { recursive: true });
    writeFileSync(join(tlsDir, 'ca.pem'), 'CA');
    const ctx = readDockerContext(dir, 'c', readFileIfExists);
    expect(ctx).toMatchObject({ name: 'c', host: 'tcp://c:2376', skipTlsVerify: true, tls: { ca: 'CA' } });
    expect(ctx.tls.cert).toBeUndefined();
  });

  it('readDockerContext throws DOCKER_CONTEXT_NOT_FOUND for unknown names', () => {
    expect(() => readDockerContext(dir, 'nope', readFileIfExists)).toThrow(DockerConnectionError);
    expect(() => readDockerContext(dir, 'nope', readFileIfExists)).toThrow(/"nope" does not exist/);
  });

  it('readDockerContext reports invalid JSON with the path', () => {
    writeMeta('bad', '{');
    expect(() => readDockerContext(dir, 'bad', readFileIfExists)).toThrow(/meta\.json is not valid JSON/);
  });

  it('listDockerContexts lists stored names plus default, skipping broken entries', () => {
    writeMeta('b', JSON.stringify({ Name: 'b', Endpoints: { docker: { Host: 'unix:///b' } } }));
    writeMeta('a', JSON.stringify({ Name: 'a', Endpoints: { docker: { Host: 'unix:///a' } } }));
    writeMeta('broken', '{');
    mkdirSync(join(dir, 'contexts', 'meta', 'stray-dir'), { recursive: true });
    expect(listDockerContexts(dir)).toEqual(['a', 'b', 'default']);
    expect(listDockerContexts(join(dir, 'missing'))).toEqual(['default']);
  });

  it('readTlsMaterial omits missing files', () => {
    writeFileSync(join(dir, 'cert.pem'), 'C');
    writeFileSync(join(dir, 'key.pem'), 'K');
    expect(readTlsMaterial(dir, readFileIfExists)).toEqual({ cert: 'C', key: 'K' });
  });

  it('readFileIfExists returns undefined for missing files and rethrows other errors', () => {
    expect(readFileIfExists(join(dir, 'none'))).toBeUndefined();
    expect(readFileIfExists(join(dir, 'none', 'deeper'))).toBeUndefined();
    expect(() => readFileIfExists(dir)).toThrow(/EISDIR/);
  });
});
