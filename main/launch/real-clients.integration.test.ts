/**
 * Issue 12 ("Done when"): real clients, written by others, inside Taskdeck tasks see what they see
 * on ECS. The image `taskdeck-test/real-clients` (scripts/real-clients/build-image.sh, built by
 * scripts/ci-setup.sh from Debian's packages and npm, no registry) holds the AWS CLI v2, botocore /
 * boto3, Node.js with the AWS SDK for JavaScript v3 credential providers and OpenTelemetry's ECS
 * resource detector; the probes are scripts/real-clients/*-probe.*. Each probe runs as the container's first instruction (no retry loop: the
 * endpoints must answer from the start), in bridge, awsvpc and host mode.
 * STS is the local fake; the developer's own keys are fake too. Secrets appear only as SHA-256.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LogLine } from '../../contract/dto.js';
import type { NetworkMode } from '../task-definition/model.js';
import { startFakeSts, type FakeSts } from '../test-support/fake-sts.js';
import { container, leftovers, NOTHING_LEFT, taskDef, TEST_IMAGE } from '../test-support/engine-fixture.js';
import { createEngineRuntime, type EngineRuntime } from './create-engine-runtime.js';

const docker = new Docker();
const IMAGE = 'taskdeck-test/real-clients:latest';
const REGION = 'eu-west-3';
const ACCOUNT = '123456789012';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/real-clients`;
const saved = { ...process.env };
let sts: FakeSts;
let rt: EngineRuntime;
let dataDir: string;

// The probes travel as the command (not baked into the image): their first instruction is the probe.
const probe = (name: string) =>
  readFileSync(new URL(`../../scripts/real-clients/${name}`, import.meta.url), 'utf8');
const NODE_PROBE = probe('node-probe.mjs');
const PYTHON_PROBE = probe('python-probe.py');
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

beforeAll(async () => {
  await docker
    .getImage(IMAGE)
    .inspect()
    .catch(() => {
      throw new Error(`${IMAGE} is missing: run scripts/ci-setup.sh (scripts/real-clients/build-image.sh)`);
    });
  sts = await startFakeSts();
  process.env.AWS_ACCESS_KEY_ID = 'AKIALOCALDEVELOPER02';
  process.env.AWS_SECRET_ACCESS_KEY = 'developer-secret';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_ENDPOINT_URL_STS = sts.url;
  dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-real-clients-'));
  rt = await createEngineRuntime({
    docker,
    dataDir,
    helperImage: TEST_IMAGE,
    region: REGION,
    account: ACCOUNT,
    notice: () => {},
  });
}, 120_000);

afterAll(async () => {
  await rt?.engine.stopAll('teardown');
  await rt?.close();
  await sts?.close();
  await rm(dataDir, { recursive: true, force: true });
  process.env = saved;
});

interface Probe {
  readonly ok: boolean;
  readonly error?: string;
  readonly accessKeyId?: string;
  readonly secretSha256?: string;
  readonly method?: string;
  readonly value?: string;
  readonly attributes?: Record<string, unknown>;
}

/** The JSON a probe printed after `prefix` in the container's log. */
function probeOutput(
  lines: readonly LogLine[],
  containerName: string,
  prefix: string,
): Record<string, Probe> {
  const line = lines.find((l) => l.container === containerName && l.text.startsWith(prefix));
  if (!line) {
    const seen = lines.filter((l) => l.container === containerName).map((l) => l.text);
    throw new Error(`${containerName} printed no ${prefix} line; its log:\n${seen.join('\n')}`);
  }
  return JSON.parse(line.text.slice(prefix.length)) as Record<string, Probe>;
}

async function runProbes(mode: NetworkMode) {
  const family = `real-clients-${mode}`;
  const t = await rt.engine.runTask({
    taskDefinition: taskDef(
      family,
      [
        container('node', {
          image: IMAGE,
          essential: false,
          command: ['node', '--input-type=module', '-e', NODE_PROBE],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': '/ecs/real-clients',
              'awslogs-region': REGION,
              'awslogs-stream-prefix': 'rc',
            },
          },
        }),
        container('python', {
          image: IMAGE,
          command: ['python3', '-c', PYTHON_PROBE],
          dependsOn: [{ containerName: 'node', condition: 'COMPLETE' }],
        }),
      ],
      // awsvpc as a Fargate task (its launch type), the others as EC2 ones.
      mode === 'awsvpc'
        ? {
            networkMode: mode,
            taskRoleArn: ROLE,
            requiresCompatibilities: ['FARGATE' as const],
            cpu: 256,
            memory: 512,
          }
        : { networkMode: mode, taskRoleArn: ROLE },
    ),
    pullBehavior: 'prefer-cached',
  });
  const stopped = await rt.engine.waitForStopped(t.taskId);
  const lines = await rt.engine.logs(t.taskId);
  expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
  const issued = sts.calls.filter((c) => c.action === 'AssumeRole' && c.accessKeyId).at(-1);
  return {
    task: stopped,
    node: probeOutput(lines, 'node', 'NODE-PROBE '),
    python: probeOutput(lines, 'python', 'PYTHON-PROBE '),
    key: issued?.accessKeyId,
  };
}

describe.each(['bridge', 'awsvpc', 'host'] as const)('%s mode', (mode) => {
  test('AWS SDK v3, botocore, boto3, the AWS CLI v2 and the OpenTelemetry ECS detector see the task as on ECS', async () => {
    const { task, node, python, key } = await runProbes(mode);
    expect(key, 'the task role was assumed through STS').toBeDefined();
    const served = { accessKeyId: key, secretSha256: sha(`fake-secret-${key}`) };

    // AWS SDK for JavaScript v3: the container provider and the default chain, first try.
    expect(node.containerMetadata).toEqual({ ok: true, ...served });
    expect(node.defaultChain).toEqual({ ok: true, ...served });
    expect(node.region).toEqual({ ok: true, value: REGION });
    // botocore reports the container-role provider; boto3 without a region gets the task's.
    expect(python.botocore).toEqual({ ok: true, method: 'container-role', ...served });
    expect(python.boto3Region).toEqual({ ok: true, value: REGION });
    expect(python.awsCli).toEqual({ ok: true, ...served });

    // OpenTelemetry's ECS detector: the attribute set it returns on ECS.
    expect(node.otel?.ok, node.otel?.error).toBe(true);
    const a = node.otel!.attributes!;
    const launchType = mode === 'awsvpc' ? 'fargate' : 'ec2';
    expect(a).toMatchObject({
      'cloud.provider': 'aws',
      'cloud.platform': 'aws_ecs',
      'cloud.region': REGION,
      'cloud.account.id': ACCOUNT,
      'aws.ecs.launchtype': launchType,
      'aws.ecs.task.arn': task.taskArn,
      'aws.ecs.task.family': `real-clients-${mode}`,
      'aws.ecs.task.revision': '1',
      'aws.log.group.names': ['/ecs/real-clients'],
      'aws.log.stream.names': [`rc/node/${task.taskId}`],
    });
    expect(a['aws.ecs.cluster.arn']).toMatch(new RegExp(`^arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/`));
    expect(a['aws.ecs.container.arn']).toMatch(new RegExp(`^arn:aws:ecs:${REGION}:${ACCOUNT}:container/`));
    expect(a['cloud.availability_zone']).toMatch(new RegExp(`^${REGION}[a-z]$`));
    expect(a['container.id']).toBe(task.containers.find((c) => c.name === 'node')?.runtimeId);
    expect(task.containers.map((c) => [c.name, c.exitCode])).toEqual([
      ['node', 0],
      ['python', 0],
    ]);
  });
});
