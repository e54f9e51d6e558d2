/**
 * Issue 12 (items 1, 5, 6): what real containers get, field for field as the ECS agent gives it —
 * region/account/execution env, the v4 documents per launch type, the agent's error bodies and
 * ECS_AGENT_URI's task protection — read from inside real containers (BusyBox wget/nc) through the
 * full runtime (engine + endpoints + hooks) on real Docker, in bridge and awsvpc mode.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TaskDetail } from '../../contract/dto.js';
import { createEngineRuntime, type EngineRuntime } from '../launch/create-engine-runtime.js';
import { container, leftovers, NOTHING_LEFT, sh, taskDef } from '../test-support/engine-fixture.js';
import { startFakeSts, type FakeSts } from '../test-support/fake-sts.js';

const REGION = 'eu-west-1';
const ACCOUNT = '123456789012';
const docker = new Docker();
let rt: EngineRuntime;
let dataDir: string;
let sts: FakeSts;
const events: { region: string; account: string; resources: readonly string[] }[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  sts = await startFakeSts();
  process.env.AWS_ENDPOINT_URL_STS = sts.url;
  process.env.AWS_ACCESS_KEY_ID = 'AKIALOCALTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'local-secret-key';
  dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-parity-'));
  rt = await createEngineRuntime({ docker, dataDir, region: REGION, account: ACCOUNT });
  rt.engine.on('event', (e) => events.push(e));
});
afterAll(async () => {
  await rt?.engine.stopAll('teardown');
  await rt?.close();
  await rm(dataDir, { recursive: true, force: true });
  await sts?.close();
  process.env = saved;
});

/**
 * Shell that waits for the endpoints, then prints one tagged line per probe: env, documents
 * (compact JSON is one line), and raw HTTP answers through nc (status line and body, CRs and
 * newlines folded) for what wget cannot show (non-2xx bodies, PUT).
 */
const PROBE = [
  'for i in $(seq 100); do wget -qO- $ECS_CONTAINER_METADATA_URI_V4 >/dev/null 2>&1 && break; sleep 0.1; done',
  'req() { b="$3"; printf "%s %s HTTP/1.0\\r\\nHost: 169.254.170.2\\r\\nContent-Type: application/json\\r\\nContent-Length: ${#b}\\r\\n\\r\\n%s" "$1" "$2" "$b" | nc 169.254.170.2 80 | tr -d "\\r" | tr "\\n" "|"; echo; }',
  'agent=${ECS_AGENT_URI#http://169.254.170.2}',
  'env | grep -E "^(AWS_REGION|AWS_DEFAULT_REGION|AWS_EXECUTION_ENV|ECS_AGENT_URI)=" | sort | sed "s/^/ENV /"',
  'echo "DOC $(wget -qO- $ECS_CONTAINER_METADATA_URI_V4)"',
  'echo "TASK $(wget -qO- $ECS_CONTAINER_METADATA_URI_V4/task)"',
  'echo "TAGS $(wget -qO- $ECS_CONTAINER_METADATA_URI_V4/taskWithTags)"',
  'echo "PGET $(req GET $agent/task-protection/v1/state)"',
  'echo "PPUT $(req PUT $agent/task-protection/v1/state \'{"ProtectionEnabled":true,"ExpiresInMinutes":60}\')"',
  'echo "P404 $(req GET /api/not-an-id/task-protection/v1/state)"',
  'echo "M404 $(req GET /v4/not-an-id)"',
  'echo "NOID $(req GET /v2/credentials)"',
];

/** The lines a container printed, by tag. */
async function probes(taskId: string, name: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const l of await rt.engine.logs(taskId)) {
    if (l.container !== name) continue;
    const m = /^(\w+) (.*)$/.exec(l.text);
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

function one(p: Map<string, string[]>, tag: string): string {
  const v = p.get(tag)?.[0];
  if (v === undefined) throw new Error(`no ${tag} line (got ${[...p.keys()].join(', ')})`);
  return v;
}

/** Status line and body of a folded raw HTTP answer. */
function http(folded: string): { status: number; body: string } {
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(folded)?.[1]);
  const body = folded.slice(folded.indexOf('||') + 2).replace(/\|$/, '');
  return { status, body };
}

async function runToEnd(def: ReturnType<typeof taskDef>, extra: object = {}): Promise<TaskDetail> {
  const t = await rt.engine.runTask({ taskDefinition: def, ...extra });
  const done = await rt.engine.waitForStopped(t.taskId);
  expect(await leftovers(docker, t.taskId)).toEqual(NOTHING_LEFT);
  return done;
}

describe('bridge (EC2)', () => {
  test('region, execution env, agent-shaped documents and task protection, from inside the containers', async () => {
    const def = taskDef(
      'parity-bridge',
      [
        container('own-region', {
          essential: false,
          environment: [{ name: 'AWS_DEFAULT_REGION', value: 'us-west-2' }],
          ...sh('env | grep -E "^AWS_(DEFAULT_)?REGION=" | sed "s/^/ENV /"'),
        }),
        container('app', {
          memory: 64,
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': '/ecs/parity',
              'awslogs-region': REGION,
              'awslogs-stream-prefix': 'ecs',
            },
          },
          dependsOn: [{ containerName: 'own-region', condition: 'COMPLETE' }],
          ...sh(...PROBE),
        }),
      ],
      { taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/parity`, tags: [{ key: 'team', value: 'core' }] },
    );
    const done = await runToEnd(def, { tags: [{ key: 'run', value: 'one' }] });
    const taskId = done.taskId;
    expect(done.taskArn).toBe(`arn:aws:ecs:${REGION}:${ACCOUNT}:task/default/${taskId}`);
    expect(done.launchType).toBe('EC2');
    const p = await probes(taskId, 'app');

    // 1. Region and execution env; the definition's own region is left alone.
    const env = p.get('ENV') ?? [];
    expect(env.filter((l) => !l.startsWith('ECS_AGENT_URI='))).toEqual([
      `AWS_DEFAULT_REGION=${REGION}`,
      'AWS_EXECUTION_ENV=AWS_ECS_EC2',
      `AWS_REGION=${REGION}`,
    ]);
    expect(env.find((l) => l.startsWith('ECS_AGENT_URI='))).toMatch(
      /^ECS_AGENT_URI=http:\/\/169\.254\.170\.2\/api\/[^/]+$/,
    );
    expect((await probes(taskId, 'own-region')).get('ENV')).toEqual(['AWS_DEFAULT_REGION=us-west-2']);

    // 5. The container document as the agent writes it on EC2.
    const doc = JSON.parse(one(p, 'DOC')) as Record<string, unknown> & {
      Labels: Record<string, string>;
      Networks: { NetworkMode: string; IPv4Addresses: string[] }[];
    };
    expect(doc).toMatchObject({
      Name: 'app',
      KnownStatus: 'RUNNING',
      DesiredStatus: 'RUNNING',
      Limits: { CPU: 2, Memory: 64 },
      Type: 'NORMAL',
      LogDriver: 'awslogs',
      LogOptions: {
        'awslogs-group': '/ecs/parity',
        'awslogs-region': REGION,
        'awslogs-stream': `ecs/app/${taskId}`,
      },
      ContainerARN: `arn:aws:ecs:${REGION}:${ACCOUNT}:container/default/${taskId}/app`,
    });
    expect(doc['DockerName']).toMatch(/^ecs-parity-bridge-1-app-[0-9a-f]{20}$/);
    expect(doc.Labels['com.amazonaws.ecs.cluster']).toBe('default');
    expect(doc.Networks[0]?.IPv4Addresses[0]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

    const task = JSON.parse(one(p, 'TASK')) as Record<string, unknown>;
    expect(task).toMatchObject({
      Cluster: 'default',
      TaskARN: done.taskArn,
      KnownStatus: 'RUNNING',
      AvailabilityZone: `${REGION}a`,
      LaunchType: 'EC2',
      FaultInjectionEnabled: false,
    });
    expect(task['TaskTags']).toBeUndefined();
    expect(task['ClockDrift']).toBeUndefined();
    const tagged = JSON.parse(one(p, 'TAGS')) as { TaskTags: Record<string, string> };
    expect(tagged.TaskTags).toEqual({ team: 'core', run: 'one' });

    // 6. Task protection: a standalone task with a role gets ECS's TASK_NOT_VALID failure (200).
    const notValid = `{"failure":{"Arn":"${done.taskArn}","Detail":null,"Reason":"TASK_NOT_VALID"}}`;
    expect(http(one(p, 'PGET'))).toEqual({ status: 200, body: notValid });
    expect(http(one(p, 'PPUT'))).toEqual({ status: 200, body: notValid });
    expect(http(one(p, 'P404'))).toEqual({
      status: 404,
      body: '{"error":{"Code":"ResourceNotFoundException","Message":"Failed to find a task for the request"}}',
    });

    // Error bodies as the agent's.
    expect(http(one(p, 'M404'))).toEqual({
      status: 404,
      body: '"V4 container metadata handler: unable to get container ID from request: unable to get docker ID from v3 endpoint ID: not-an-id"',
    });
    expect(http(one(p, 'NOID'))).toEqual({
      status: 400,
      body: '{"code":"NoIdInRequest","message":"CredentialsV2Request: No Credential ID in the request","HTTPErrorCode":400}',
    });

    // Events carry the same region and account.
    const mine = events.filter((e) => e.resources.includes(done.taskArn));
    expect(mine.length).toBeGreaterThan(2);
    expect(new Set(mine.map((e) => `${e.region}/${e.account}`))).toEqual(new Set([`${REGION}/${ACCOUNT}`]));
  });
});

describe('awsvpc', () => {
  const vpcDef = () =>
    taskDef('parity-vpc', [container('app', { ...sh(...PROBE) })], {
      networkMode: 'awsvpc',
      cpu: 256,
      memory: 512,
    });

  test('Fargate-compatible → FARGATE shape: cluster ARN, DockerName = name, ClockDrift, DNS; no role → 403', async () => {
    const done = await runToEnd(vpcDef());
    expect(done.launchType).toBe('FARGATE');
    const p = await probes(done.taskId, 'app');
    expect(p.get('ENV')).toContain('AWS_EXECUTION_ENV=AWS_ECS_FARGATE');
    expect(p.get('ENV')).toContain(`AWS_REGION=${REGION}`);
    const doc = JSON.parse(one(p, 'DOC')) as {
      DockerName: string;
      Labels: Record<string, string>;
      Networks: Record<string, unknown>[];
    };
    expect(doc.DockerName).toBe('app');
    expect(doc.Labels['com.amazonaws.ecs.cluster']).toBe(done.clusterArn);
    expect(doc.Networks[0]).toMatchObject({
      NetworkMode: 'awsvpc',
      AttachmentIndex: 0,
      DomainNameServers: expect.any(Array) as unknown,
      DomainNameSearchList: [`${REGION}.compute.internal`],
    });
    const task = JSON.parse(one(p, 'TASK')) as Record<string, unknown> & { Containers: { Name: string }[] };
    expect(task).toMatchObject({
      Cluster: done.clusterArn,
      LaunchType: 'FARGATE',
      KnownStatus: 'RUNNING',
      Limits: { CPU: 0.25, Memory: 512 },
      EphemeralStorageMetrics: { Utilized: 0, Reserved: 20496 },
      FaultInjectionEnabled: false,
    });
    expect(task['ClockDrift']).toMatchObject({ ClockSynchronizationStatus: 'SYNCHRONIZED' });
    expect(task.Containers.map((c) => c.Name)).toEqual(['app']);
    expect(http(one(p, 'PGET'))).toEqual({
      status: 403,
      body: `{"error":{"Arn":"${done.taskArn}","Code":"AccessDeniedException","Message":"Invalid Request: no task IAM role credentials available for task"}}`,
    });
  });

  test('launched as EC2 → EC2 shape, with the pause container listed as the agent lists it', async () => {
    const done = await runToEnd(vpcDef(), { launchType: 'EC2' });
    expect(done.launchType).toBe('EC2');
    const p = await probes(done.taskId, 'app');
    expect(p.get('ENV')).toContain('AWS_EXECUTION_ENV=AWS_ECS_EC2');
    const task = JSON.parse(one(p, 'TASK')) as Record<string, unknown> & {
      Containers: { Name: string; Type: string; KnownStatus: string; DockerName: string }[];
    };
    expect(task).toMatchObject({ Cluster: 'default', LaunchType: 'EC2' });
    expect(task['ClockDrift']).toBeUndefined();
    expect(task.Containers.map((c) => [c.Name, c.Type, c.KnownStatus])).toEqual([
      ['app', 'NORMAL', 'RUNNING'],
      ['~internal~ecs~pause', 'CNI_PAUSE', 'RESOURCES_PROVISIONED'],
    ]);
    expect(task.Containers[0]?.DockerName).toMatch(/^ecs-parity-vpc-1-app-[0-9a-f]{20}$/);
  });
});
