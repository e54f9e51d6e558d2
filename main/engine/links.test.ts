import { describe, expect, test } from 'vitest';
import { container } from '../test-support/task-def-builders.js';
import { toContainerCreateOptions } from './container-config.js';
import { dockerLinks, effectiveDependsOn } from './links.js';

describe('links', () => {
  const app = container('app', {
    links: [
      { containerName: 'db', alias: 'db' },
      { containerName: 'db', alias: 'database' },
      { containerName: 'cache', alias: 'cache' },
    ],
    dependsOn: [{ containerName: 'cache', condition: 'HEALTHY' }],
  });

  test('each link target is an implicit START dependency (once), unless already waited on until started', () => {
    expect(effectiveDependsOn(app)).toEqual([
      { containerName: 'cache', condition: 'HEALTHY' },
      { containerName: 'db', condition: 'START' },
    ]);
    expect(effectiveDependsOn(container('x'))).toEqual([]);
  });

  test('HostConfig.Links is <docker name of the target>:<alias>, bridge only', () => {
    const names: Record<string, string> = { db: 'ecs-fam-1-db-abc', cache: 'ecs-fam-1-cache-abc' };
    const links = dockerLinks(app, (n) => names[n]);
    expect(links).toEqual(['ecs-fam-1-db-abc:db', 'ecs-fam-1-db-abc:database', 'ecs-fam-1-cache-abc:cache']);
    expect(() => dockerLinks(app, () => undefined)).toThrow('Link target not available: db');
    const ctx = {
      dockerName: 'n',
      labels: {},
      volumeSources: new Map<string, string>(),
      containerIds: new Map<string, string>(),
      extraEnv: {},
      endpointEnv: {},
      extraHosts: [],
      links,
    };
    expect(toContainerCreateOptions(app, { ...ctx, networkMode: 'bridge' }).HostConfig?.Links).toEqual(links);
    expect(toContainerCreateOptions(app, { ...ctx, networkMode: 'host' }).HostConfig?.Links).toBeUndefined();
  });

  test('dnsSearchDomains become DnsSearch', () => {
    const def = container('c', { dnsSearchDomains: ['corp.internal'] });
    const opts = toContainerCreateOptions(def, {
      dockerName: 'n',
      labels: {},
      networkMode: 'bridge',
      volumeSources: new Map(),
      containerIds: new Map(),
      extraEnv: {},
      endpointEnv: {},
      extraHosts: [],
    });
    expect(opts.HostConfig?.DnsSearch).toEqual(['corp.internal']);
  });
});
