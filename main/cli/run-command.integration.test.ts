/** The `taskdeck run` contract on real Docker, through the real CLI process. */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ECS_LABEL_FAMILY } from '../engine/labels.js';
import { labelledLeftovers, NOTHING_LEFT, removeLabelled } from '../test-support/engine-fixture.js';
import { startFakeSts } from '../test-support/fake-sts.js';
import { reserveMemory } from '../test-support/reserve-memory.js';

const docker = new Docker();
const BIN = join(import.meta.dirname, '../../bin/taskdeck.js');
const IMAGE = 'taskdeck-test/busybox:latest';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskdeck-cli-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(
  args: string[],
  opts: { onStderr?: (all: string, kill: (s: NodeJS.Signals) => void) => void } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      opts.onStderr?.(stderr, (s) => child.kill(s));
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function writeDef(name: string, def: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(reserveMemory(def)));
  return file;
}

/** Containers Docker has for tasks of this family (they carry the family label). */
async function familyContainers(family: string) {
  return docker.listContainers({ all: true, filters: { label: [`${ECS_LABEL_FAMILY}=${family}`] } });
}

/** Everything the engine made for tasks of this family: containers, networks and volumes. */
const familyLeftovers = (family: string) => labelledLeftovers(docker, `${ECS_LABEL_FAMILY}=${family}`);

describe('taskdeck run', () => {
  test('exit status is the essential container exit code; output lines are `<container> | text` on stderr', async () => {
    const file = await writeDef('exit7.json', {
      family: 'cli-exit7',
      containerDefinitions: [
        { name: 'init', image: IMAGE, essential: false, command: ['sh', '-c', 'echo migrating'] },
        {
          name: 'app',
          image: IMAGE,
          command: ['sh', '-c', 'echo hello; echo warn >&2; exit 7'],
          dependsOn: [{ containerName: 'init', condition: 'SUCCESS' }],
        },
      ],
    });
    const r = await runCli(['run', file]);
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('init | migrating\n');
    expect(r.stderr).toContain('app | hello\n');
    expect(r.stderr).toContain('app | warn\n');
    expect(await familyLeftovers('cli-exit7')).toEqual(NOTHING_LEFT);
  });

  test('--json: stdout is only JSON Lines, one Task State Change event each, versions increasing by one', async () => {
    const file = await writeDef('json.json', {
      family: 'cli-json',
      containerDefinitions: [{ name: 'app', image: IMAGE, command: ['echo', 'hi'] }],
    });
    const r = await runCli(['run', file, '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const events = lines.map(
      (l) => JSON.parse(l) as { 'detail-type': string; detail: { version: number; lastStatus: string } },
    );
    expect(events.every((e) => e['detail-type'] === 'ECS Task State Change')).toBe(true);
    expect(events.map((e) => e.detail.version)).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => e.detail.lastStatus)).toEqual(
      expect.arrayContaining(['PENDING', 'RUNNING', 'STOPPED']),
    );
    expect(r.stderr).toContain('app | hi');
    expect(await familyLeftovers('cli-json')).toEqual(NOTHING_LEFT);
  });

  test('invalid input exits 2, lists every error, creates nothing', async () => {
    const file = await writeDef('bad.json', {
      family: 'cli-bad',
      containerDefinitions: [
        { name: 'a', image: IMAGE, dependsOn: [{ containerName: 'b', condition: 'start' }] },
        { name: 'a', image: IMAGE },
      ],
    });
    const r = await runCli(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('containerDefinitions[0].dependsOn[0].condition');
    expect(r.stderr).toContain('containerDefinitions[1].name');
    expect(await familyLeftovers('cli-bad')).toEqual(NOTHING_LEFT);
  });

  test('bad overrides exit 2 naming the path', async () => {
    const file = await writeDef('ok.json', {
      family: 'cli-ovr',
      containerDefinitions: [{ name: 'app', image: IMAGE }],
    });
    const ovr = join(dir, 'ovr.json');
    await writeFile(ovr, JSON.stringify({ containerOverrides: [{ name: 'nope', command: ['x'] }] }));
    const r = await runCli(['run', file, '--overrides', ovr]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("overrides.containerOverrides[0].name: container 'nope'");
    await writeFile(ovr, JSON.stringify({ containerOverrides: [{ name: 'app', memory: 'lots' }] }));
    const r2 = await runCli(['run', file, '--overrides', ovr]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('overrides.containerOverrides[0].memory');
    expect(await familyLeftovers('cli-ovr')).toEqual(NOTHING_LEFT);
  });

  test('--overrides changes command and environment', async () => {
    const file = await writeDef('ovr2.json', {
      family: 'cli-ovr2',
      containerDefinitions: [
        {
          name: 'app',
          image: IMAGE,
          command: ['echo', 'original'],
          environment: [{ name: 'A', value: '1' }],
        },
      ],
    });
    const ovr = join(dir, 'ovr2-o.json');
    await writeFile(
      ovr,
      JSON.stringify({
        overrides: {
          containerOverrides: [
            {
              name: 'app',
              command: ['sh', '-c', 'echo A=$A B=$B'],
              environment: [{ name: 'B', value: '2' }],
            },
          ],
        },
      }),
    );
    const r = await runCli(['run', file, '--overrides', ovr]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('app | A=1 B=2');
    expect(await familyLeftovers('cli-ovr2')).toEqual(NOTHING_LEFT);
  });

  test('a task that fails to start exits 125 and leaves nothing', async () => {
    const file = await writeDef('pullfail.json', {
      family: 'cli-pullfail',
      containerDefinitions: [{ name: 'app', image: '127.0.0.1:5000/taskdeck/does-not-exist:latest' }],
    });
    const r = await runCli(['run', file]);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('CannotPullContainerError');
    expect(await familyLeftovers('cli-pullfail')).toEqual(NOTHING_LEFT);
  });

  test('SIGINT performs StopTask (UserInitiated), waits for the reverse-order stop and exits 130', async () => {
    const file = await writeDef('sigint.json', {
      family: 'cli-sigint',
      containerDefinitions: [
        {
          name: 'db',
          image: IMAGE,
          command: ['sh', '-c', 'trap "echo db-term; exit 0" TERM; while true; do sleep 0.1; done'],
        },
        {
          name: 'app',
          image: IMAGE,
          command: [
            'sh',
            '-c',
            'echo ready; trap "echo app-term; exit 0" TERM; while true; do sleep 0.1; done',
          ],
          dependsOn: [{ containerName: 'db', condition: 'START' }],
        },
      ],
    });
    let sent = false;
    const r = await runCli(['run', file, '--json'], {
      onStderr: (all, kill) => {
        if (!sent && all.includes('app | ready')) {
          sent = true;
          kill('SIGINT');
        }
      },
    });
    expect(r.code).toBe(130);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
      detail: { stopCode: string; lastStatus: string };
    };
    expect(last.detail.lastStatus).toBe('STOPPED');
    expect(last.detail.stopCode).toBe('UserInitiated');
    expect(r.stderr.indexOf('app | app-term')).toBeGreaterThan(-1);
    expect(r.stderr.indexOf('app | app-term')).toBeLessThan(r.stderr.indexOf('db | db-term'));
    expect(await familyLeftovers('cli-sigint')).toEqual(NOTHING_LEFT);
  });

  /** Generous: the hangs these guard against were unbounded (or one 30 s health interval). */
  const PROMPTLY_MS = 20_000;
  const LOOP = 'trap "exit 0" TERM; while true; do sleep 0.1; done';

  test('SIGINT while a dependent waits on COMPLETE of a long-running upstream: exits 130 promptly, the dependent never started, nothing left', async () => {
    const file = await writeDef('sigint-waiting.json', {
      family: 'cli-sigint-waiting',
      containerDefinitions: [
        { name: 'db', image: IMAGE, essential: false, command: ['sh', '-c', `echo db-up; ${LOOP}`] },
        {
          name: 'app',
          image: IMAGE,
          command: ['echo', 'never'],
          dependsOn: [{ containerName: 'db', condition: 'COMPLETE' }],
        },
      ],
    });
    let sentAt = 0;
    const r = await runCli(['run', file], {
      onStderr: (all, kill) => {
        if (!sentAt && all.includes('db | db-up')) {
          sentAt = Date.now();
          kill('SIGINT');
        }
      },
    });
    expect(r.code).toBe(130);
    expect(Date.now() - sentAt).toBeLessThan(PROMPTLY_MS);
    expect(r.stderr).toContain('app STOPPED (not started)');
    expect(r.stderr).not.toContain('app | never');
    expect(r.stderr).not.toContain('already stopping');
    expect(await familyLeftovers('cli-sigint-waiting')).toEqual(NOTHING_LEFT);
  });

  test('SIGINT while a dependent waits on HEALTHY (30 s interval): stops well before the next probe', async () => {
    const file = await writeDef('sigint-healthy.json', {
      family: 'cli-sigint-healthy',
      containerDefinitions: [
        {
          name: 'db',
          image: IMAGE,
          essential: false,
          command: ['sh', '-c', `echo db-up; ${LOOP}`],
          healthCheck: { command: ['CMD-SHELL', 'exit 1'], interval: 30, timeout: 5, retries: 3 },
        },
        {
          name: 'app',
          image: IMAGE,
          command: ['echo', 'never'],
          dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }],
        },
      ],
    });
    let sentAt = 0;
    const r = await runCli(['run', file], {
      onStderr: (all, kill) => {
        if (!sentAt && all.includes('db | db-up')) {
          sentAt = Date.now();
          kill('SIGINT');
        }
      },
    });
    expect(r.code).toBe(130);
    expect(Date.now() - sentAt).toBeLessThan(PROMPTLY_MS);
    expect(r.stderr).toContain('app STOPPED (not started)');
    expect(await familyLeftovers('cli-sigint-healthy')).toEqual(NOTHING_LEFT);
  });

  test('a second SIGINT kills what is left (SIGTERM ignored, long stopTimeout), exits 130 and still cleans up', async () => {
    const stubborn = 'trap "" TERM; while true; do sleep 0.1; done';
    const file = await writeDef('sigint-twice.json', {
      family: 'cli-sigint-twice',
      containerDefinitions: [
        { name: 'db', image: IMAGE, stopTimeout: 100, command: ['sh', '-c', stubborn] },
        {
          name: 'app',
          image: IMAGE,
          stopTimeout: 100,
          command: ['sh', '-c', `echo ready; ${stubborn}`],
          dependsOn: [{ containerName: 'db', condition: 'START' }],
        },
      ],
    });
    let secondAt = 0;
    let first = false;
    const r = await runCli(['run', file], {
      onStderr: (all, kill) => {
        if (!first && all.includes('app | ready')) {
          first = true;
          kill('SIGINT');
        } else if (first && !secondAt && /task \w+ STOPPING/.test(all)) {
          secondAt = Date.now();
          kill('SIGINT');
        }
      },
    });
    expect(r.code).toBe(130);
    expect(Date.now() - secondAt).toBeLessThan(PROMPTLY_MS);
    expect(r.stderr).toContain('killing the remaining containers');
    expect(r.stderr).toContain('app STOPPED (exit 137)');
    expect(r.stderr).toContain('db STOPPED (exit 137)');
    expect(await familyLeftovers('cli-sigint-twice')).toEqual(NOTHING_LEFT);
  });

  test('a failed migration after db and cache are running: TaskFailedToStart, exit 125, nothing left', async () => {
    const file = await writeDef('migrate-fails.json', {
      family: 'cli-migrate-fails',
      containerDefinitions: [
        { name: 'db', image: IMAGE, command: ['sh', '-c', LOOP] },
        { name: 'cache', image: IMAGE, command: ['sh', '-c', LOOP] },
        {
          name: 'migrate',
          image: IMAGE,
          essential: false,
          command: ['sh', '-c', 'sleep 1; echo migration failed; exit 3'],
          dependsOn: [
            { containerName: 'db', condition: 'START' },
            { containerName: 'cache', condition: 'START' },
          ],
        },
        {
          name: 'app',
          image: IMAGE,
          command: ['sh', '-c', LOOP],
          dependsOn: [{ containerName: 'migrate', condition: 'SUCCESS' }],
        },
      ],
    });
    const r = await runCli(['run', file]);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('migrate | migration failed');
    expect(r.stderr).toContain(
      '(TaskFailedToStart: CannotStartContainerError: dependency graph: migrate SUCCESS',
    );
    expect(await familyLeftovers('cli-migrate-fails')).toEqual(NOTHING_LEFT);
  });

  test('--keep leaves the containers in place', async () => {
    const file = await writeDef('keep.json', {
      family: 'cli-keep',
      containerDefinitions: [{ name: 'app', image: IMAGE, command: ['true'] }],
    });
    const r = await runCli(['run', file, '--keep']);
    expect(r.code).toBe(0);
    const kept = await familyContainers('cli-keep');
    expect(kept).toHaveLength(1);
    // Everything of the task stays, the bridge gate volume too; the test removes it all by task id.
    const taskLabel = `com.taskdeck.task-id=${kept[0]?.Labels['com.taskdeck.task-id'] ?? 'missing'}`;
    expect((await labelledLeftovers(docker, taskLabel)).volumes).toBe(1);
    await removeLabelled(docker, taskLabel);
    expect(await labelledLeftovers(docker, taskLabel)).toEqual(NOTHING_LEFT);
  });

  test('task role: assumed through STS by default; --pass-own-credentials gives GetSessionToken ones with a warning; AccessDenied exits 125; --data-dir is made private', async () => {
    const sts = await startFakeSts();
    const saved = { ...process.env };
    // The child CLI inherits this environment: local keys, and STS at the fake.
    process.env.AWS_ACCESS_KEY_ID = 'AKIACLIDEVELOPER0001';
    process.env.AWS_SECRET_ACCESS_KEY = 'cli-developer-secret';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    process.env.AWS_ENDPOINT_URL_STS = sts.url;
    const data = join(dir, 'role-data');
    await mkdir(join(data, 'tasks'), { recursive: true });
    await chmod(data, 0o755);
    try {
      const role = 'arn:aws:iam::123456789012:role/cli-role';
      const def = (family: string, taskRoleArn: string) => ({
        family,
        taskRoleArn,
        containerDefinitions: [
          {
            name: 'app',
            image: IMAGE,
            command: [
              'sh',
              '-c',
              'for i in $(seq 1 50); do wget -qO- http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI > /tmp/c 2>/dev/null && break; sleep 0.2; done; grep -o \'"AccessKeyId":"[^"]*"\' /tmp/c',
            ],
          },
        ],
      });
      const file = await writeDef('role.json', def('cli-role', role));

      const assumed = await runCli(['run', file, '--data-dir', data]);
      expect(assumed.code, assumed.stderr).toBe(0);
      expect(assumed.stderr).toContain(`taskdeck: notice: ${data} was readable by other local users`);
      expect(assumed.stderr).toMatch(/app \| "AccessKeyId":"ASIAFAKEROLE\d+"/);
      expect(assumed.stderr).not.toContain('warning: Your own AWS credentials');
      // The account for ARNs comes from the caller identity first (local credentials exist).
      expect(sts.calls.map((c) => c.action)).toEqual(['GetCallerIdentity', 'AssumeRole']);
      expect(sts.calls[1]!.params.RoleSessionName).toMatch(/^taskdeck-[0-9a-f]{32}$/);
      for (const p of await readdir(data, { recursive: true })) {
        const st = await stat(join(data, p));
        expect([p, st.mode & 0o777]).toEqual([p, st.isDirectory() ? 0o700 : 0o600]);
      }

      const own = await runCli(['run', file, '--pass-own-credentials']);
      expect(own.code, own.stderr).toBe(0);
      expect(own.stderr).toContain(
        `taskdeck: warning: Your own AWS credentials are passed to this task instead of its task role ${role}`,
      );
      expect(own.stderr).toMatch(/app \| "AccessKeyId":"ASIAFAKESESS\d+"/);
      expect(own.stderr).not.toContain('AKIACLIDEVELOPER0001');

      const deniedRole = 'arn:aws:iam::123456789012:role/cli-denied';
      sts.denied.add(deniedRole);
      const denied = await runCli(['run', await writeDef('denied.json', def('cli-denied', deniedRole))]);
      expect(denied.code).toBe(125);
      expect(denied.stderr).toContain(
        `ResourceInitializationError: unable to assume task role ${deniedRole}: AccessDenied:`,
      );
      for (const family of ['cli-role', 'cli-denied'])
        expect(await familyLeftovers(family)).toEqual(NOTHING_LEFT);
    } finally {
      process.env = saved;
      await sts.close();
    }
  });
});
