/**
 * Semantics §6 on real Docker: every container setting is checked from *inside* the container
 * (busybox prints what it sees), or by inspecting the running container where only Docker knows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TaskDetail } from '../../contract/dto.js';
import type { ContainerDefinition, TaskDefinition } from '../task-definition/model.js';
import type { TaskOverrides } from './engine-api.js';
import { removeTaskResources } from './task-resources.js';
import {
  byName,
  container,
  FOREVER,
  leftovers,
  NOTHING_LEFT,
  sh,
  startEngine,
  taskDef,
  waitFor,
  waitForLog,
  type EngineHarness,
} from '../test-support/engine-fixture.js';

let h: EngineHarness;
let hostDir: string;
beforeAll(async () => {
  h = await startEngine();
  hostDir = await mkdtemp(join(tmpdir(), 'taskdeck-it-bind-'));
  await writeFile(join(hostDir, 'hello.txt'), 'from the host\n');
});
afterAll(async () => {
  await h?.close();
  if (hostDir) await rm(hostDir, { recursive: true, force: true });
});

const MIB = 1024 * 1024;
const CAP_CHOWN = 0n;
const CAP_NET_ADMIN = 12n;
const CAP_SYS_ADMIN = 21n;
const hasCap = (capEff: string, bit: bigint) => ((BigInt(`0x${capEff}`) >> bit) & 1n) === 1n;

/** Prints the memory limit, soft limit and CPU weight the container's cgroup enforces (v1 or v2). */
const CGROUP_FACTS = [
  'if [ -f /sys/fs/cgroup/memory.max ]; then',
  '  echo "MEM=$(cat /sys/fs/cgroup/memory.max)"; echo "MEMRES=$(cat /sys/fs/cgroup/memory.low)"; echo "CPUWEIGHT=$(cat /sys/fs/cgroup/cpu.weight)"',
  '  echo "CPUMAX=$(cat /sys/fs/cgroup/cpu.max)"',
  'else',
  '  echo "MEM=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"; echo "MEMRES=$(cat /sys/fs/cgroup/memory/memory.soft_limit_in_bytes)"; echo "CPUSHARES=$(cat /sys/fs/cgroup/cpu/cpu.shares)"',
  '  echo "CPUMAX=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"',
  'fi',
];
const LINUX_FACTS = [
  'echo "CAPEFF=$(grep CapEff /proc/self/status | cut -f2)"',
  'echo "PID1=$(cat /proc/1/comm)"',
  'grep " /dev/shm " /proc/mounts | sed "s/^/SHM=/"',
  'grep " /scratch " /proc/mounts | sed "s/^/SCRATCH=/"',
];

/** Facts printed as KEY=VALUE by one container, every value of a key in order. */
type Facts = ReadonlyMap<string, readonly string[]>;

async function factsOf(taskId: string, name: string): Promise<Facts> {
  const facts = new Map<string, string[]>();
  for (const l of await h.engine.logs(taskId, { container: name })) {
    const eq = l.text.indexOf('=');
    if (eq <= 0) continue;
    const k = l.text.slice(0, eq);
    facts.set(k, [...(facts.get(k) ?? []), l.text.slice(eq + 1)]);
  }
  return facts;
}
const one = (f: Facts, key: string) => {
  const v = f.get(key);
  expect(v, `fact ${key}`).toBeDefined();
  return v![0]!;
};

/** The CPU weight cgroup v2 shows for Docker CPU shares (runc's conversion). */
const weightOf = (shares: number) => 1 + Math.floor(((shares - 2) * 9999) / 262142);
function expectCpuShares(f: Facts, shares: number) {
  if (f.has('CPUSHARES')) expect(Number(one(f, 'CPUSHARES'))).toBe(shares);
  else expect(Number(one(f, 'CPUWEIGHT'))).toBe(weightOf(shares));
}

async function runToEnd(def: TaskDefinition, overrides?: TaskOverrides): Promise<TaskDetail> {
  const t = await h.engine.runTask({ taskDefinition: def, ...(overrides ? { overrides } : {}) });
  const done = await h.engine.waitForStopped(t.taskId);
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  return done;
}

describe('one inspector task, one container per concern', () => {
  let done: TaskDetail;
  const facts: Record<string, Facts> = {};
  const members: ContainerDefinition[] = [
    container('env', {
      essential: false,
      environment: [
        { name: 'FOO', value: 'bar' },
        { name: 'SPACED', value: 'a b=c' },
      ],
      user: '65534',
      workingDirectory: '/tmp',
      hostname: 'inspector-host',
      extraHosts: [{ hostname: 'db.local', ipAddress: '10.1.2.3' }],
      dnsServers: ['10.0.0.53'],
      ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 2048 }],
      ...sh(
        'echo "FOO=$FOO"',
        'echo "SPACED=$SPACED"',
        'echo "UID=$(id -u)"',
        'echo "PWD=$(pwd)"',
        'echo "HOSTNAME=$(hostname)"',
        'grep db.local /etc/hosts | sed "s/^/HOSTS=/"',
        'grep nameserver /etc/resolv.conf | sed "s/^/DNS=/"',
        'echo "NOFILE=$(ulimit -n)"',
        'echo "NOFILE_HARD=$(ulimit -Hn)"',
      ),
    }),
    container('limits', {
      essential: false,
      memory: 64,
      memoryReservation: 32,
      cpu: 512,
      ...sh(...CGROUP_FACTS),
    }),
    container('linux', {
      essential: false,
      linuxParameters: {
        capabilities: { add: ['NET_ADMIN'], drop: ['CHOWN'] },
        initProcessEnabled: true,
        sharedMemorySize: 32,
        tmpfs: [{ containerPath: '/scratch', size: 8, mountOptions: ['noexec'] }],
      },
      ...sh(...LINUX_FACTS),
    }),
    container('plain', { essential: false, ...sh(...LINUX_FACTS, ...CGROUP_FACTS) }),
    container('ro', {
      essential: false,
      readonlyRootFilesystem: true,
      mountPoints: [{ sourceVolume: 'scratch', containerPath: '/data', readOnly: false }],
      ...sh('touch /root-file 2>/dev/null; echo "ROOT_RC=$?"', 'touch /data/ok; echo "DATA_RC=$?"'),
    }),
    container('binder', {
      essential: false,
      mountPoints: [
        { sourceVolume: 'host-ro', containerPath: '/host-ro', readOnly: true },
        { sourceVolume: 'host-rw', containerPath: '/host-rw', readOnly: false },
      ],
      ...sh(
        'echo "READ=$(cat /host-ro/hello.txt)"',
        'touch /host-ro/nope 2>/dev/null; echo "RO_WRITE_RC=$?"',
        'echo written-inside > /host-rw/out.txt; echo "RW_WRITE_RC=$?"',
      ),
    }),
  ];

  beforeAll(async () => {
    const main = container('main', {
      ...sh('echo done'),
      dependsOn: members.map((m) => ({ containerName: m.name, condition: 'COMPLETE' as const })),
    });
    const rwDir = join(hostDir, 'rw');
    done = await runToEnd(
      taskDef('cfg-inspector', [...members, main], {
        volumes: [
          {
            name: 'scratch',
            dockerVolumeConfiguration: { scope: 'task', autoprovision: false, driverOpts: {}, labels: {} },
          },
          { name: 'host-ro', host: { sourcePath: hostDir } },
          { name: 'host-rw', host: { sourcePath: rwDir } },
        ],
      }),
    );
    for (const m of members) facts[m.name] = await factsOf(done.taskId, m.name);
  });

  test('every inspector container ran and exited 0', () => {
    for (const m of members)
      expect({ name: m.name, exit: byName(done, m.name).exitCode }).toEqual({ name: m.name, exit: 0 });
    expect(done.stopCode).toBe('EssentialContainerExited');
  });

  test('environment', () => {
    expect(one(facts.env!, 'FOO')).toBe('bar');
    expect(one(facts.env!, 'SPACED')).toBe('a b=c');
  });

  test('user', () => expect(one(facts.env!, 'UID')).toBe('65534'));
  test('workingDirectory', () => expect(one(facts.env!, 'PWD')).toBe('/tmp'));
  test('hostname', () => expect(one(facts.env!, 'HOSTNAME')).toBe('inspector-host'));
  test('extraHosts', () => expect(one(facts.env!, 'HOSTS')).toMatch(/^10\.1\.2\.3\s+db\.local$/));
  test('dnsServers', () => expect(facts.env!.get('DNS')).toEqual(['nameserver 10.0.0.53']));

  test('ulimits', () => {
    expect(one(facts.env!, 'NOFILE')).toBe('1024');
    expect(one(facts.env!, 'NOFILE_HARD')).toBe('2048');
  });

  test('memory is the hard limit, memoryReservation the soft one', () => {
    expect(Number(one(facts.limits!, 'MEM'))).toBe(64 * MIB);
    expect(Number(one(facts.limits!, 'MEMRES'))).toBe(32 * MIB);
  });

  test('cpu units are CPU shares; cpu 0 becomes 2 shares (the agent’s floor)', () => {
    expectCpuShares(facts.limits!, 512);
    expectCpuShares(facts.plain!, 2);
  });

  test('no memory anywhere → no limit', () => {
    const mem = one(facts.plain!, 'MEM');
    expect(mem === 'max' || Number(mem) > 1024 * 1024 * MIB).toBe(true);
  });

  test('capabilities add and drop', () => {
    const linux = one(facts.linux!, 'CAPEFF');
    const plain = one(facts.plain!, 'CAPEFF');
    expect(hasCap(linux, CAP_NET_ADMIN)).toBe(true);
    expect(hasCap(linux, CAP_CHOWN)).toBe(false);
    expect(hasCap(plain, CAP_NET_ADMIN)).toBe(false);
    expect(hasCap(plain, CAP_CHOWN)).toBe(true);
  });

  test('initProcessEnabled: PID 1 is an init, not the command', () => {
    expect(one(facts.linux!, 'PID1')).toBe('docker-init');
    expect(one(facts.plain!, 'PID1')).toBe('sh');
  });

  test('sharedMemorySize sizes /dev/shm', () => {
    expect(one(facts.linux!, 'SHM')).toContain('size=32768k');
    expect(one(facts.plain!, 'SHM')).not.toContain('size=32768k');
  });

  test('tmpfs: size and mount options', () => {
    const scratch = one(facts.linux!, 'SCRATCH');
    expect(scratch).toMatch(/^tmpfs \/scratch tmpfs /);
    expect(scratch).toContain('size=8192k');
    expect(scratch).toContain('noexec');
    expect(facts.plain!.get('SCRATCH')).toBeUndefined();
  });

  test('readonlyRootFilesystem: the root is read-only, a mounted volume stays writable', () => {
    expect(one(facts.ro!, 'ROOT_RC')).not.toBe('0');
    expect(one(facts.ro!, 'DATA_RC')).toBe('0');
  });

  test('host sourcePath volumes: readOnly mount reads but cannot write; a writable one lands on the host', async () => {
    expect(one(facts.binder!, 'READ')).toBe('from the host');
    expect(one(facts.binder!, 'RO_WRITE_RC')).not.toBe('0');
    expect(one(facts.binder!, 'RW_WRITE_RC')).toBe('0');
    expect(await readFile(join(hostDir, 'rw', 'out.txt'), 'utf8')).toBe('written-inside\n');
  });
});

test('dockerLabels and the ECS labels are on the running container; ECS labels cannot be spoofed', async () => {
  const t = await h.engine.runTask({
    taskDefinition: taskDef(
      'cfg-labels',
      [
        container('app', {
          // Prints once its TERM trap is set: a stop sent before that (a busy machine can start the
          // container well before the shell reaches its first line) is ignored by PID 1.
          ...sh(`trap "exit 143" TERM; echo trap-set; while true; do sleep 0.1; done`),
          stopTimeout: 7,
          dockerLabels: { team: 'core', 'com.amazonaws.ecs.cluster': 'spoofed' },
        }),
      ],
      { revision: 4 },
    ),
  });
  const up = await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
  const info = await h.docker.getContainer(byName(up, 'app').runtimeId!).inspect();
  expect(info.Config.Labels).toMatchObject({
    team: 'core',
    // A bridge task is EC2: the agent labels its configured (short) cluster name.
    'com.amazonaws.ecs.cluster': 'default',
    'com.amazonaws.ecs.container-name': 'app',
    'com.amazonaws.ecs.task-arn': up.taskArn,
    'com.amazonaws.ecs.task-definition-family': 'cfg-labels',
    'com.amazonaws.ecs.task-definition-version': '4',
  });
  expect((info.Config as { StopTimeout?: number }).StopTimeout).toBe(7);
  await waitForLog(h.engine, t.taskId, 'app', 'trap-set');
  await h.engine.stopTask(t.taskId);
  const done = await h.engine.waitForStopped(t.taskId);
  // stopTimeout 7 with a container that honours SIGTERM: no SIGKILL.
  expect(byName(done, 'app').exitCode).toBe(143);
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
});

test('volumes: a task-scoped volume is removed at stop; a shared autoprovisioned one survives and is reused', async () => {
  const shared = `taskdeck-it-shared-${randomBytes(4).toString('hex')}`;
  const volumes = [
    {
      name: 'scratch',
      dockerVolumeConfiguration: { scope: 'task' as const, autoprovision: false, driverOpts: {}, labels: {} },
    },
    {
      name: shared,
      dockerVolumeConfiguration: {
        scope: 'shared' as const,
        autoprovision: true,
        driverOpts: {},
        labels: {},
      },
    },
  ];
  const mounts = [
    { sourceVolume: 'scratch', containerPath: '/scratch', readOnly: false },
    { sourceVolume: shared, containerPath: '/shared', readOnly: false },
  ];
  try {
    const t = await h.engine.runTask({
      taskDefinition: taskDef(
        'cfg-volumes',
        [container('app', { mountPoints: mounts, ...sh('echo kept > /shared/f', FOREVER), stopTimeout: 2 })],
        {
          volumes,
        },
      ),
    });
    await waitFor(h.engine, t.taskId, (x) => x.lastStatus === 'RUNNING');
    const during = await leftovers(h.docker, t.taskId);
    expect(during.volumes).toBe(1);
    await h.engine.stopTask(t.taskId);
    await h.engine.waitForStopped(t.taskId);
    expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
    await expect(h.docker.getVolume(shared).inspect()).resolves.toMatchObject({ Name: shared });

    // A second task sees what the first wrote to the shared volume, and a fresh task volume.
    const second = await runToEnd(
      taskDef(
        'cfg-volumes',
        [
          container('app', {
            mountPoints: mounts,
            ...sh('echo "SHARED=$(cat /shared/f)"; echo "SCRATCH=$(ls /scratch | wc -l)"'),
          }),
        ],
        {
          volumes,
        },
      ),
    );
    const f = await factsOf(second.taskId, 'app');
    expect(one(f, 'SHARED')).toBe('kept');
    expect(one(f, 'SCRATCH').trim()).toBe('0');
  } finally {
    await h.docker
      .getVolume(shared)
      .remove()
      .catch(() => {});
  }
});

test('volumesFrom: the reader sees the source container’s volume', async () => {
  const done = await runToEnd(
    taskDef(
      'cfg-volumesfrom',
      [
        container('writer', {
          essential: false,
          mountPoints: [{ sourceVolume: 'data', containerPath: '/data', readOnly: false }],
          ...sh('echo shared-bytes > /data/f', FOREVER),
          stopTimeout: 2,
        }),
        container('reader', {
          volumesFrom: [{ sourceContainer: 'writer', readOnly: true }],
          dependsOn: [{ containerName: 'writer', condition: 'START' }],
          ...sh(
            'while [ ! -f /data/f ]; do sleep 0.1; done',
            'echo "READ=$(cat /data/f)"',
            'touch /data/g 2>/dev/null; echo "WRITE_RC=$?"',
          ),
        }),
      ],
      { volumes: [{ name: 'data' }] },
    ),
  );
  const f = await factsOf(done.taskId, 'reader');
  expect(one(f, 'READ')).toBe('shared-bytes');
  expect(one(f, 'WRITE_RC')).not.toBe('0');
  expect(byName(done, 'reader').exitCode).toBe(0);
});

test('overrides: containerOverrides command, environment, cpu, memory and task-level memory', async () => {
  const def = taskDef('cfg-overrides', [
    container('app', {
      environment: [
        { name: 'A', value: '1' },
        { name: 'B', value: '2' },
      ],
      cpu: 128,
      memory: 64,
      dependsOn: [{ containerName: 'sized-by-task', condition: 'COMPLETE' }],
      ...sh('echo "ORIGINAL=yes"'),
    }),
    container('sized-by-task', { essential: false, ...sh(...CGROUP_FACTS) }),
  ]);
  const overrides: TaskOverrides = {
    memory: '160',
    cpu: '0.5 vCPU',
    containerOverrides: [
      {
        name: 'app',
        command: ['sh', '-c', `echo "A=$A"; echo "B=$B"; echo "C=$C"; ${CGROUP_FACTS.join('\n')}`],
        environment: [
          { name: 'B', value: 'overridden' },
          { name: 'C', value: 'new' },
        ],
        cpu: 256,
        memory: 96,
      },
    ],
  };
  const done = await runToEnd(def, overrides);
  const app = await factsOf(done.taskId, 'app');
  expect(app.has('ORIGINAL')).toBe(false);
  expect(one(app, 'A')).toBe('1');
  expect(one(app, 'B')).toBe('overridden');
  expect(one(app, 'C')).toBe('new');
  expect(Number(one(app, 'MEM'))).toBe(96 * MIB);
  expectCpuShares(app, 256);
  expect(byName(done, 'app').cpu).toBe('256');
  expect(byName(done, 'app').memory).toBe('96');
  expect(done.memory).toBe('160');
  expect(done.cpu).toBe('0.5 vCPU');
  const sized = await factsOf(done.taskId, 'sized-by-task');
  expect(Number(one(sized, 'MEM'))).toBe(160 * MIB);
  // Task-level cpu (overridden to half a vCPU) caps every container: a 50 ms quota per 100 ms.
  expect(one(sized, 'CPUMAX')).toBe('50000 100000');
  expect(one(app, 'CPUMAX')).toBe('50000 100000');
});

test('task-level memory is the ceiling for a container without its own limit', async () => {
  const done = await runToEnd(
    taskDef('cfg-taskmem', [container('app', sh(...CGROUP_FACTS))], { memory: 128, cpu: 256 }),
  );
  expect(done.memory).toBe('128');
  expect(done.cpu).toBe('256');
  const facts = await factsOf(done.taskId, 'app');
  expect(Number(one(facts, 'MEM'))).toBe(128 * MIB);
  // Task-level cpu 256 units = a quarter of a vCPU: 25 ms per 100 ms period.
  expect(one(facts, 'CPUMAX')).toBe('25000 100000');
});

test('without task-level cpu a container has no CPU quota', async () => {
  const done = await runToEnd(taskDef('cfg-nocpu', [container('app', sh(...CGROUP_FACTS))]));
  expect(done.cpu).toBeUndefined();
  expect(one(await factsOf(done.taskId, 'app'), 'CPUMAX')).toMatch(/^(max|-1) 100000$/);
});

test('privileged is passed to Docker (and, where the host allows it, grants every capability)', async () => {
  const t = await h.engine.runTask({
    taskDefinition: taskDef('cfg-privileged', [
      container('app', {
        privileged: true,
        ...sh('echo "CAPEFF=$(grep CapEff /proc/self/status | cut -f2)"'),
      }),
    ]),
    keep: true,
  });
  const done = await h.engine.waitForStopped(t.taskId);
  try {
    const app = byName(done, 'app');
    expect(app.runtimeId).toBeDefined();
    const info = await h.docker.getContainer(app.runtimeId!).inspect();
    expect(info.HostConfig.Privileged).toBe(true);
    if (app.exitCode === 0) {
      expect(hasCap(one(await factsOf(t.taskId, 'app'), 'CAPEFF'), CAP_SYS_ADMIN)).toBe(true);
    } else {
      // Some sandboxed daemons (this CI's included) cannot apply a privileged capability set.
      expect(app.reason).toMatch(/^CannotStartContainerError: /);
      expect(done.stopCode).toBe('TaskFailedToStart');
    }
  } finally {
    await removeTaskResources(h.docker, t.taskId);
  }
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
});
