/** The `taskdeck service up` contract on real Docker, through the real CLI process. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ECS_LABEL_FAMILY } from '../engine/labels.js';
import { labelledLeftovers, NOTHING_LEFT } from '../test-support/engine-fixture.js';
import { freePort, get } from '../test-support/service-fixture.js';

const docker = new Docker();
const BIN = join(import.meta.dirname, '../../bin/taskdeck.js');
const IMAGE = 'taskdeck-test/busybox:latest';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskdeck-svc-cli-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

function runCli(args: string[], onStderr?: (all: string, kill: (s: NodeJS.Signals) => void) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, (s) => child.kill(s));
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function writeFiles(family: string, port: number, lbPort: number) {
  const web = [
    'mkdir -p /www && echo ok > /www/health && echo hello > /www/index.html',
    'httpd -p 80 -h /www',
    'trap "exit 0" TERM',
    'while true; do sleep 0.2; done',
  ].join('\n');
  await writeFile(
    join(dir, `${family}-td.json`),
    JSON.stringify({
      family,
      containerDefinitions: [
        {
          name: 'web',
          image: IMAGE,
          memory: 64,
          command: ['sh', '-c', web],
          portMappings: [{ containerPort: 80, hostPort: 0 }],
          stopTimeout: 2,
        },
      ],
    }),
  );
  await writeFile(
    join(dir, `${family}-tg.json`),
    JSON.stringify({
      Name: `${family}-tg`,
      Protocol: 'HTTP',
      Port: lbPort,
      TargetType: 'instance',
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 2,
      HealthyThresholdCount: 2,
    }),
  );
  const svc = join(dir, `${family}-svc.json`);
  await writeFile(
    svc,
    JSON.stringify({
      serviceName: family,
      taskDefinition: `${family}-td.json`,
      desiredCount: 1,
      loadBalancers: [{ targetGroupArn: `${family}-tg`, containerName: 'web', containerPort: port }],
      cluster: 'default',
    }),
  );
  return { svc, tg: join(dir, `${family}-tg.json`) };
}

describe('taskdeck service up', () => {
  test('invalid input exits 2 naming the JSON path; nothing is created', async () => {
    const { svc, tg } = await writeFiles('svc-cli-bad', 8080, await freePort());
    const r = await runCli([
      'service',
      'up',
      svc,
      '--target-group',
      tg,
      '--region',
      'us-east-1',
      '--account',
      '000000000000',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('$.loadBalancers[0].containerPort');
    expect(r.stderr).toContain('nothing was created');
    expect(await labelledLeftovers(docker, `${ECS_LABEL_FAMILY}=svc-cli-bad`)).toEqual(NOTHING_LEFT);
  }, 60_000);

  test('runs the service behind a listener; Ctrl-C drains, stops everything and exits 130', async () => {
    const lbPort = await freePort();
    const listenPort = await freePort();
    const { svc, tg } = await writeFiles('svc-cli', 80, lbPort);
    let served: { status: number; body: string } | undefined;
    let signalled = false;
    const r = await runCli(
      [
        'service',
        'up',
        svc,
        '--target-group',
        tg,
        '--listen',
        `svc-cli-tg=${listenPort}`,
        '--deregistration-delay',
        '1',
        '--json',
        '--region',
        'us-east-1',
        '--account',
        '000000000000',
      ],
      (all, kill) => {
        if (signalled || !all.includes('(service svc-cli) has reached a steady state.')) return;
        signalled = true;
        get(listenPort)
          .then((res) => {
            served = res;
            kill('SIGINT');
          })
          .catch(() => kill('SIGINT'));
      },
    );
    expect(r.code, r.stderr).toBe(130);
    expect(served).toEqual({ status: 200, body: 'hello\n' });
    expect(r.stderr).toContain(`listening on http://127.0.0.1:${listenPort}`);
    expect(r.stderr).toContain('(service svc-cli) has begun draining connections on 1 tasks.');
    expect(r.stderr).toMatch(/\(service svc-cli\) has stopped 1 running tasks: \(task [0-9a-f]+\)\./);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l['detail-type'] === 'ECS Task State Change')).toBe(true);
    expect(lines.some((l) => l.type === 'targetHealth' && l.state === 'healthy')).toBe(true);
    expect(lines.some((l) => l.type === 'serviceEvent')).toBe(true);
    expect(lines.some((l) => l['detail-type'] === 'ECS Deployment State Change')).toBe(true);
    expect(r.stderr.indexOf('deregistered 1 targets')).toBeLessThan(
      r.stderr.indexOf('has stopped 1 running tasks'),
    );
    expect(await labelledLeftovers(docker, `${ECS_LABEL_FAMILY}=svc-cli`)).toEqual(NOTHING_LEFT);
    expect((await get(listenPort)).status).toBe(0);
  }, 110_000);

  test('a second Ctrl-C kills the tasks instead of waiting out a 300 s deregistration delay', async () => {
    const { svc, tg } = await writeFiles('svc-cli-kill', 80, await freePort());
    let phase = 0;
    const started = Date.now();
    const r = await runCli(
      ['service', 'up', svc, '--target-group', tg, '--region', 'us-east-1', '--account', '000000000000'],
      (all, kill) => {
        if (phase === 0 && all.includes('(service svc-cli-kill) has reached a steady state.')) {
          phase = 1;
          kill('SIGINT');
        } else if (phase === 1 && all.includes('has begun draining connections on 1 tasks.')) {
          phase = 2;
          kill('SIGINT');
        }
      },
    );
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('received again: killing');
    expect(Date.now() - started).toBeLessThan(100_000);
    expect(await labelledLeftovers(docker, `${ECS_LABEL_FAMILY}=svc-cli-kill`)).toEqual(NOTHING_LEFT);
  }, 110_000);
});
