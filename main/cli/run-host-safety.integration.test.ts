/**
 * What a task definition run through `taskdeck run` can do to the host (issue 10, items 6–9), on
 * real Docker through the real CLI process: published ports, host access, environment files,
 * secrets that Docker would refuse.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ECS_LABEL_FAMILY } from '../engine/labels.js';
import { labelledLeftovers, NOTHING_LEFT } from '../test-support/engine-fixture.js';
import { reserveMemory } from '../test-support/reserve-memory.js';

const docker = new Docker();
const BIN = join(import.meta.dirname, '../../bin/taskdeck.js');
const IMAGE = 'taskdeck-test/busybox:latest';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskdeck-cli-host-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], cwd?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(cwd ? { cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function writeDef(name: string, def: unknown, folder = dir): Promise<string> {
  const file = join(folder, name);
  await writeFile(file, JSON.stringify(reserveMemory(def)));
  return file;
}

const familyLeftovers = (family: string) => labelledLeftovers(docker, `${ECS_LABEL_FAMILY}=${family}`);

interface EventLine {
  detail: { containers: { name: string; networkBindings?: { bindIP: string; hostPort: number }[] }[] };
}

/** Every bindIP reported in the --json events. */
function bindIPs(stdout: string): string[] {
  return stdout
    .trim()
    .split('\n')
    .flatMap((l) => (JSON.parse(l) as EventLine).detail.containers)
    .flatMap((c) => (c.networkBindings ?? []).map((b) => b.bindIP));
}

describe('taskdeck run: published ports', () => {
  const def = (family: string) => ({
    family,
    containerDefinitions: [
      {
        name: 'web',
        image: IMAGE,
        command: ['sh', '-c', 'sleep 1'],
        portMappings: [{ containerPort: 80, protocol: 'tcp' }],
      },
    ],
  });

  test('bind 127.0.0.1 by default', async () => {
    const r = await runCli(['run', await writeDef('ports.json', def('cli-ports-local')), '--json']);
    expect(r.code).toBe(0);
    const ips = bindIPs(r.stdout);
    expect(ips.length).toBeGreaterThan(0);
    expect(new Set(ips)).toEqual(new Set(['127.0.0.1']));
    expect(await familyLeftovers('cli-ports-local')).toEqual(NOTHING_LEFT);
  });

  test('--expose-ports binds 0.0.0.0', async () => {
    const r = await runCli([
      'run',
      await writeDef('ports-exposed.json', def('cli-ports-exposed')),
      '--json',
      '--expose-ports',
    ]);
    expect(r.code).toBe(0);
    const ips = bindIPs(r.stdout);
    expect(ips.length).toBeGreaterThan(0);
    expect(new Set(ips)).toEqual(new Set(['0.0.0.0']));
    expect(await familyLeftovers('cli-ports-exposed')).toEqual(NOTHING_LEFT);
  });
});

/** Every file under `root`, read as text (task records, events, logs). */
async function allFileText(root: string): Promise<string> {
  const names = await readdir(root, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    names.filter((d) => d.isFile()).map((d) => readFile(join(d.parentPath, d.name), 'utf8')),
  );
  return texts.join('\n');
}

describe('taskdeck run: secret values Docker would refuse or echo', () => {
  test('a secret with a NUL byte is refused before anything is created, naming the variable, never the value', async () => {
    const family = 'cli-nul-secret';
    const secrets = join(dir, 'nul-secrets.json');
    await writeFile(
      secrets,
      JSON.stringify({ '/app/user': 'app', '/app/db': 'hunter2\u0000s3cr3t-nul-value' }),
    );
    const dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-cli-nul-data-'));
    try {
      const file = await writeDef('nul.json', {
        family,
        containerDefinitions: [
          {
            name: 'app',
            image: IMAGE,
            command: ['true'],
            secrets: [
              { name: 'DB_USER', valueFrom: '/app/user' },
              { name: 'DB_PASSWORD', valueFrom: '/app/db' },
            ],
          },
        ],
      });
      const r = await runCli(['run', file, '--json', '--secrets-file', secrets, '--data-dir', dataDir]);
      expect(r.code).toBe(125);
      const message =
        'ResourceInitializationError: secret DB_PASSWORD (containerDefinitions[0].secrets[1]) contains a NUL byte';
      expect(r.stderr).toContain(message);
      const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { detail: { stoppedReason: string } };
      expect(last.detail.stoppedReason).toBe(message);
      const onDisk = await allFileText(dataDir);
      expect(onDisk).toContain(message);
      for (const text of [r.stdout, r.stderr, onDisk]) {
        expect(text).not.toContain('hunter2');
        expect(text).not.toContain('s3cr3t-nul-value');
      }
      expect(await familyLeftovers(family)).toEqual(NOTHING_LEFT);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('a Docker error that quotes a secret value is redacted before it becomes a reason, an event or a record', async () => {
    // Docker echoes an unknown `user` in its start error; here that string is also a secret value.
    const family = 'cli-redact';
    const value = 'redact-me-user-x1';
    const secrets = join(dir, 'redact-secrets.json');
    await writeFile(secrets, JSON.stringify({ '/app/token': value }));
    const dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-cli-redact-data-'));
    try {
      const file = await writeDef('redact.json', {
        family,
        containerDefinitions: [
          {
            name: 'app',
            image: IMAGE,
            command: ['true'],
            user: value,
            secrets: [{ name: 'TOKEN', valueFrom: '/app/token' }],
          },
        ],
      });
      const r = await runCli(['run', file, '--json', '--secrets-file', secrets, '--data-dir', dataDir]);
      expect(r.code).toBe(125);
      expect(r.stderr).toContain('CannotStartContainerError: unable to find user ***: no matching entries');
      const onDisk = await allFileText(dataDir);
      const reasons = [r.stdout, r.stderr, onDisk].map((t) =>
        t.split('\n').filter((l) => l.includes('unable to find user')),
      );
      // Only the definition itself (kept in the record) may still name the user.
      for (const lines of reasons)
        for (const line of lines) expect(line).not.toMatch(/unable to find user redact-me/);
      expect(reasons.flat().length).toBeGreaterThan(2);
      expect(await familyLeftovers(family)).toEqual(NOTHING_LEFT);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('taskdeck run: environmentFiles stay in the definition’s folder', () => {
  const def = (family: string, value: string) => ({
    family,
    containerDefinitions: [
      {
        name: 'app',
        image: IMAGE,
        command: ['sh', '-c', 'echo "got:$FROM_FILE"'],
        environmentFiles: [{ value, type: 's3' }],
      },
    ],
  });

  test('a relative path resolves against the definition’s folder, not the working directory', async () => {
    const folder = join(dir, 'project');
    await mkdir(join(folder, 'env'), { recursive: true });
    await writeFile(join(folder, 'env', 'app.env'), 'FROM_FILE=next-to-the-definition\n');
    const file = await writeDef('relative.json', def('cli-envfile-relative', 'env/app.env'), folder);
    // Run from another folder that has a decoy at the same relative path.
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(join(elsewhere, 'env'), { recursive: true });
    await writeFile(join(elsewhere, 'env', 'app.env'), 'FROM_FILE=from-the-working-directory\n');
    const r = await runCli(['run', file], elsewhere);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('app | got:next-to-the-definition');
    expect(await familyLeftovers('cli-envfile-relative')).toEqual(NOTHING_LEFT);
  });

  test('a file outside the folder is refused (nothing created) unless --allow-env-files-outside', async () => {
    const folder = join(dir, 'confined');
    await mkdir(folder, { recursive: true });
    const secretFile = join(dir, 'users-private.env');
    await writeFile(secretFile, 'FROM_FILE=private-outside-value\n', { mode: 0o600 });
    const file = await writeDef('outside.json', def('cli-envfile-outside', secretFile), folder);
    const refused = await runCli(['run', file, '--json']);
    expect(refused.code).toBe(125);
    expect(refused.stderr).toContain(
      `ResourceInitializationError: failed to download env files: ${secretFile} (containerDefinitions[0].environmentFiles[0]): refused: ${secretFile}: it is outside the definition's folder`,
    );
    for (const text of [refused.stdout, refused.stderr]) expect(text).not.toContain('private-outside-value');
    expect(await familyLeftovers('cli-envfile-outside')).toEqual(NOTHING_LEFT);

    const allowed = await runCli(['run', file, '--allow-env-files-outside']);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain('app | got:private-outside-value');
    expect(await familyLeftovers('cli-envfile-outside')).toEqual(NOTHING_LEFT);
  });

  test('/proc/self/environ is refused even with --allow-env-files-outside, and nothing leaks', async () => {
    const file = await writeDef('proc.json', def('cli-envfile-proc', '/proc/self/environ'));
    const r = await runCli(['run', file, '--json', '--allow-env-files-outside']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain(
      'ResourceInitializationError: failed to download env files: /proc/self/environ (containerDefinitions[0].environmentFiles[0]): refused: files under /proc are never read',
    );
    // Taskdeck's own environment (here: its PATH) must not reach the task.
    expect(r.stdout).not.toContain(process.env.PATH ?? 'no-path');
    expect(await familyLeftovers('cli-envfile-proc')).toEqual(NOTHING_LEFT);
  });
});

describe('taskdeck run: host access needs --allow-host-access', () => {
  const family = 'cli-host-access';
  const def = {
    family,
    volumes: [{ name: 'hostroot', host: { sourcePath: '/' } }],
    containerDefinitions: [
      {
        name: 'app',
        image: IMAGE,
        privileged: true,
        command: ['sh', '-c', 'test -d /host/proc && echo saw-the-host'],
        mountPoints: [{ sourceVolume: 'hostroot', containerPath: '/host', readOnly: true }],
        linuxParameters: { capabilities: { add: ['SYS_ADMIN'], drop: [] } },
      },
    ],
  };

  test('without the flag: exit 2 naming each setting and its JSON path, nothing created', async () => {
    const file = await writeDef('host-access.json', def);
    const r = await runCli(['run', file, '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('asks for host access; nothing was run. Pass --allow-host-access');
    expect(r.stderr).toContain('  volumes[0].host.sourcePath: bind mount of / (');
    expect(r.stderr).toContain('  containerDefinitions[0].privileged: privileged (');
    expect(r.stderr).toContain(
      '  containerDefinitions[0].linuxParameters.capabilities.add[0]: capability SYS_ADMIN (',
    );
    expect(await familyLeftovers(family)).toEqual(NOTHING_LEFT);
  });

  test('with --allow-host-access it runs as written', async () => {
    // Not privileged here: this test daemon may itself run without every capability to hand out.
    const app = { ...def.containerDefinitions[0]!, privileged: false };
    const file = await writeDef('host-access-allowed.json', { ...def, containerDefinitions: [app] });
    const r = await runCli(['run', file, '--allow-host-access']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('app | saw-the-host');
    expect(await familyLeftovers(family)).toEqual(NOTHING_LEFT);
  });
});
