import { describe, expect, it } from 'vitest';
import { findHostAccess, hostPathRisk } from './host-access.js';
import { parseTaskDefinition } from './parse-task-definition.js';

const HOSTILE = {
  family: 'hostile',
  memory: '512',
  pidMode: 'host',
  ipcMode: 'host',
  volumes: [
    { name: 'root', host: { sourcePath: '/' } },
    { name: 'sock', host: { sourcePath: '/var/run/docker.sock' } },
    { name: 'data', host: { sourcePath: '/home/me/project/data' } },
    { name: 'unused', host: { sourcePath: '/etc' } },
  ],
  containerDefinitions: [
    {
      name: 'app',
      image: 'x',
      privileged: true,
      mountPoints: [
        { sourceVolume: 'root', containerPath: '/host' },
        { sourceVolume: 'sock', containerPath: '/var/run/docker.sock' },
        { sourceVolume: 'data', containerPath: '/data' },
      ],
      linuxParameters: {
        capabilities: { add: ['SYS_ADMIN', 'CHOWN', 'cap_net_admin'], drop: [] },
        devices: [{ hostPath: '/dev/fuse' }],
      },
    },
  ],
};

describe('findHostAccess', () => {
  it('names every host-access setting with its JSON path (and nothing harmless)', () => {
    const parsed = parseTaskDefinition(JSON.stringify(HOSTILE));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(findHostAccess(parsed.taskDefinition).map((a) => [a.path, a.setting])).toEqual([
      ['pidMode', 'pidMode: host'],
      ['ipcMode', 'ipcMode: host'],
      ['volumes[0].host.sourcePath', 'bind mount of /'],
      ['volumes[1].host.sourcePath', 'bind mount of /var/run/docker.sock'],
      ['containerDefinitions[0].privileged', 'privileged'],
      ['containerDefinitions[0].linuxParameters.capabilities.add[0]', 'capability SYS_ADMIN'],
      ['containerDefinitions[0].linuxParameters.capabilities.add[2]', 'capability NET_ADMIN'],
      ['containerDefinitions[0].linuxParameters.devices[0]', 'device /dev/fuse'],
    ]);
  });

  it('is a validation warning at each path (validation no longer says "No warnings")', () => {
    const parsed = parseTaskDefinition(JSON.stringify(HOSTILE));
    expect(parsed.ok).toBe(true);
    const hostWarnings = parsed.warnings.filter((w) => w.message.startsWith('host access: '));
    expect(hostWarnings).toHaveLength(8);
    expect(hostWarnings[0]).toMatchObject({
      path: 'pidMode',
      message: expect.stringContaining('--allow-host-access'),
      line: expect.any(Number),
    });
    const plain = parseTaskDefinition(
      JSON.stringify({ family: 'f', containerDefinitions: [{ name: 'a', image: 'x' }] }),
    );
    expect(plain.warnings).toEqual([]);
  });

  it('judges host paths after normalising them', () => {
    expect(hostPathRisk('//')).toBeDefined();
    expect(hostPathRisk('/var/run/../run/docker.sock')).toBeDefined();
    expect(hostPathRisk('/run/user/1000/podman/podman.sock')).toBeDefined();
    expect(hostPathRisk('/var/run/')).toBeDefined();
    expect(hostPathRisk('/etc/ssl/certs')).toBeDefined();
    expect(hostPathRisk('/home/me/project')).toBeUndefined();
    expect(hostPathRisk('/etcetera')).toBeUndefined();
    expect(hostPathRisk('/tmp/data')).toBeUndefined();
  });
});
