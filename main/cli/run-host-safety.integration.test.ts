/**
 * What a task definition run through `taskdeck run` can do to the host (issue 10, items 6–9), on
 * real Docker through the real CLI process: published ports, host access, environment files,
 * secrets that Docker would refuse.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ECS_LABEL_FAMILY } from '../engine/labels.js';
import { labelledLeftovers, NOTHING_LEFT } from '../test-support/engine-fixture.js';

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
  await writeFile(file, JSON.stringify(def));
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
