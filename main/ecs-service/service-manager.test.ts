import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ServiceView } from '../../contract/service-dto.js';
import { startFakeEngine, type FakeEngineHarness } from '../test-support/fake-engine.js';
import { dockerError } from '../docker/fake-docker.js';
import { container, taskDef } from '../test-support/task-def-builders.js';
import { FakeLoadBalancer } from '../test-support/fake-load-balancer.js';
import { createServiceManager } from './service-manager.js';
import type { ServiceManagerApi } from './service-manager-api.js';
import type { ServiceSpec } from './service-spec.js';
import type { TargetGroupSpec } from './target-group-spec.js';

const TG: TargetGroupSpec = {
  targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef',
  name: 'web',
  protocol: 'HTTP',
  port: 18080,
  targetType: 'instance',
  healthCheckPath: '/',
  healthCheckIntervalSeconds: 5,
  healthCheckTimeoutSeconds: 2,
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 2,
  matcher: '200',
  deregistrationDelaySeconds: 0,
};
const def = (revision: number) =>
  taskDef(
    'web',
    [container('app', { portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }] })],
    {
      networkMode: 'host',
      revision,
    },
  );
const spec = (over: Partial<ServiceSpec> = {}): ServiceSpec => ({
  serviceName: 'web',
  taskDefinitionRef: 'web:1',
  taskDefinition: def(1),
  desiredCount: 2,
  loadBalancers: [{ targetGroupArn: TG.targetGroupArn, containerName: 'app', containerPort: 80 }],
  healthCheckGracePeriodSeconds: 0,
  minimumHealthyPercent: 100,
  maximumPercent: 200,
  circuitBreaker: { enable: true, rollback: true },
  enableExecuteCommand: false,
  ...over,
});

let h: FakeEngineHarness;
let lb: FakeLoadBalancer;
let dataDir: string;
let manager: ServiceManagerApi;
const messages: string[] = [];

/** A manager on this test's engine, load balancer and data dir (as the app opens one at start). */
function openManager(over: Partial<Parameters<typeof createServiceManager>[0]> = {}) {
  return createServiceManager({
    engine: h.engine,
    loadBalancer: lb,
    dataDir,
    region: 'us-east-1',
    account: '000000000000',
    ...over,
  });
}

beforeEach(async () => {
  h = await startFakeEngine();
  lb = new FakeLoadBalancer();
  dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-svc-'));
  messages.length = 0;
  manager = await openManager({ throttleBaseMs: 50 });
  manager.on('serviceEvent', (_s, m) => messages.push(m));
});
afterEach(async () => {
  await manager.close();
  await h.engine.stopAll('teardown');
  await h.close();
  await rm(dataDir, { recursive: true, force: true });
});

function until(pred: (v: ServiceView) => boolean, what: string, timeoutMs = 8_000): Promise<ServiceView> {
  const now = manager.describeService('web');
  if (now && pred(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(
          `timed out waiting for ${what}: ${JSON.stringify(manager.describeService('web')?.deployments)}`,
        ),
      );
    }, timeoutMs);
    const off = manager.on('changed', (v) => {
      if (v.serviceName !== 'web' || !pred(v)) return;
      clearTimeout(timer);
      off();
      resolve(v);
    });
  });
}
const steady = (v: ServiceView) =>
  v.runningCount === v.desiredCount &&
  v.deployments.length === 1 &&
  v.deployments[0]?.rolloutState === 'COMPLETED';

describe('service manager (fake engine, in-memory load balancer)', { timeout: 30_000 }, () => {
  it('reaches steady state: starts desiredCount tasks, registers them when RUNNING, completes the deployment', async () => {
    await manager.createService({ service: spec(), targetGroups: [TG] });
    const v = await until(steady, 'steady state');
    expect(v.tasks.filter((t) => t.lastStatus === 'RUNNING')).toHaveLength(2);
    expect(
      messages.some((m) => /^\(service web\) has started \d tasks: (\(task [0-9a-f]+\) ?)+\.$/.test(m)),
    ).toBe(true);
    expect(messages).toContain(`(service web) registered 1 targets in (target-group ${TG.targetGroupArn})`);
    await until(
      (x) => x.events.some((e) => e.message === '(service web) has reached a steady state.'),
      'steady event',
    );
    expect(messages.some((m) => /\(deployment ecs-svc\/\d{19}\) deployment completed\.$/.test(m))).toBe(true);
    const saved = JSON.parse(await readFile(join(dataDir, 'services', 'web.json'), 'utf8')) as {
      tasks: unknown[];
    };
    expect(saved.tasks).toHaveLength(2);
  });

  it('scale-in drains the target first and stops the task only after deregistration ends', async () => {
    await manager.createService({ service: spec(), targetGroups: [TG] });
    await until(steady, 'steady');
    lb.holdDrains = true;
    await manager.updateService('web', { desiredCount: 1 });
    await until((v) => v.tasks.some((t) => t.milestones.some((m) => m.kind === 'draining')), 'draining');
    const victim = manager
      .describeService('web')!
      .tasks.find((t) => t.milestones.some((m) => m.kind === 'draining'))!;
    expect(h.engine.describeTask(victim.taskId)?.desiredStatus).toBe('RUNNING');
    expect(messages).toContain('(service web) has begun draining connections on 1 tasks.');
    lb.releaseDrains();
    await h.engine.waitForStopped(victim.taskId);
    const order = lb.log.filter((l) => l.includes(victim.taskId));
    expect(order).toEqual([
      `register ${victim.taskId}`,
      `deregister ${victim.taskId}`,
      `drained ${victim.taskId}`,
    ]);
    expect(messages).toContain(`(service web) has stopped 1 running tasks: (task ${victim.taskId}).`);
    await until(
      (v) => v.runningCount === 1 && v.tasks.filter((t) => t.lastStatus !== 'STOPPED').length === 1,
      'one task',
    );
  });

  it('replaces a task whose essential container exits', async () => {
    await manager.createService({ service: spec({ desiredCount: 1 }), targetGroups: [TG] });
    const v = await until(steady, 'steady');
    const first = v.tasks[0]!.taskId;
    const [c] = await h.docker.listContainers({
      all: true,
      filters: { label: [`com.taskdeck.task-id=${first}`] },
    });
    expect(c).toBeDefined();
    h.docker.exit(c!.Id, 1);
    // Its target leaves the load balancer as soon as the task is on its way out, not at STOPPED.
    await h.waitFor((t) => t.taskId === first && t.desiredStatus === 'STOPPED', 'desired STOPPED');
    expect(lb.log).toContain(`deregister ${first}`);
    await until(
      (x) => x.tasks.some((t) => t.taskId !== first && t.lastStatus === 'RUNNING'),
      'a replacement RUNNING',
    );
  });

  it('rolls out a new revision and keeps minimumHealthyPercent healthy throughout', async () => {
    await manager.createService({ service: spec(), targetGroups: [TG] });
    await until(steady, 'steady');
    let minHealthy = Infinity;
    const off = lb.on('targetHealth', () => {
      const healthy = [...lb.groups.get(TG.targetGroupArn)!.targets.values()].filter(
        (t) => t.state === 'healthy',
      ).length;
      minHealthy = Math.min(minHealthy, healthy);
    });
    await manager.updateService('web', { taskDefinition: { ref: 'web:2', definition: def(2) } });
    const v = await until(
      (x) => x.deployments.length === 1 && x.deployments[0]?.taskDefinition === 'web:2' && steady(x),
      'deployment done',
    );
    off();
    expect(minHealthy).toBeGreaterThanOrEqual(2);
    expect(
      v.tasks
        .filter((t) => t.lastStatus === 'RUNNING')
        .every((t) => h.engine.describeTask(t.taskId)?.revision === 2),
    ).toBe(true);
  });

  it('trips the circuit breaker on a never-healthy revision and rolls back to the last completed deployment', async () => {
    await manager.createService({ service: spec(), targetGroups: [TG] });
    const first = await until(steady, 'steady');
    const firstId = first.deployments[0]!.id;
    lb.autoHealth = 'unhealthy';
    await manager.updateService('web', { taskDefinition: { ref: 'web:2', definition: def(2) } });
    const failed = await until(
      (x) => x.deployments.some((d) => d.rolloutState === 'FAILED'),
      'FAILED',
      15_000,
    );
    const bad = failed.deployments.find((d) => d.rolloutState === 'FAILED')!;
    expect(bad.failedTasks).toBeGreaterThanOrEqual(3);
    expect(bad.rolloutStateReason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    const primary = failed.deployments[0]!;
    expect(primary.taskDefinition).toBe('web:1');
    expect(primary.rolloutStateReason).toBe(
      `ECS deployment circuit breaker: rolling back to deploymentId ${firstId}.`,
    );
    lb.autoHealth = 'healthy';
    await until((x) => steady(x) && x.deployments[0]?.taskDefinition === 'web:1', 'rolled back', 15_000);
  });

  it('throttles task starts after repeated start failures and reports SERVICE_TASK_START_IMPAIRED', async () => {
    const actions: string[] = [];
    manager.on('action', (e) => actions.push(e.detail.eventName));
    h.docker.failNext('start', dockerError(500, 'cannot start container: exec format error'), { times: 4 });
    await manager.createService({
      service: spec({ desiredCount: 1, circuitBreaker: { enable: false, rollback: false } }),
      targetGroups: [TG],
    });
    await until(
      (v) => v.events.some((e) => e.message.includes('is unable to consistently start tasks successfully')),
      'impaired event',
    );
    expect(messages).toContain(
      '(service web) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
    expect(actions).toContain('SERVICE_TASK_START_IMPAIRED');
    const throttled = await until(
      (v) => v.deployments[0]?.waitingFor?.includes('throttled') === true,
      'throttled waitingFor',
    );
    expect(throttled.deployments[0]?.waitingFor).toMatch(/task starts throttled after \d failed starts/);
    await until(steady, 'steady once starts succeed again');
  });

  it('keeps an unhealthy task during the health check grace period and replaces it after', async () => {
    lb.autoHealth = 'unhealthy';
    await manager.createService({
      service: spec({
        desiredCount: 1,
        healthCheckGracePeriodSeconds: 1,
        circuitBreaker: { enable: false, rollback: false },
      }),
      targetGroups: [TG],
    });
    const sick = await until(
      (v) => v.tasks.some((t) => t.milestones.some((m) => m.kind === 'unhealthy')),
      'unhealthy target',
    );
    const id = sick.tasks[0]!.taskId;
    const at = Date.parse(sick.tasks[0]!.milestones.find((m) => m.kind === 'running')!.at);
    lb.autoHealth = 'healthy';
    const replaced = await until(
      (v) => v.tasks.some((t) => t.taskId === id && t.milestones.some((m) => m.kind === 'draining')),
      'drained after grace',
    );
    const drainedAt = Date.parse(
      replaced.tasks.find((t) => t.taskId === id)!.milestones.find((m) => m.kind === 'draining')!.at,
    );
    expect(drainedAt - at).toBeGreaterThanOrEqual(1000);
    await until(
      (v) => steady(v) && !v.tasks.some((t) => t.taskId === id && t.lastStatus !== 'STOPPED'),
      'replaced',
    );
  });

  it('deleteService drains and stops every task, removes the listener and the record', async () => {
    await manager.createService({ service: spec(), targetGroups: [TG] });
    const v = await until(steady, 'steady');
    await manager.deleteService('web');
    for (const t of v.tasks) expect(h.engine.describeTask(t.taskId)?.lastStatus).toBe('STOPPED');
    expect(lb.log).toContain(`removeTargetGroup ${TG.targetGroupArn}`);
    expect(manager.describeService('web')).toBeUndefined();
    await expect(readFile(join(dataDir, 'services', 'web.json'), 'utf8')).rejects.toThrow(/ENOENT/);
    for (const t of v.tasks) {
      const log = lb.log.filter((l) => l.endsWith(t.taskId));
      expect(log.indexOf(`drained ${t.taskId}`)).toBeGreaterThan(log.indexOf(`deregister ${t.taskId}`));
    }
  });

  it('re-adopts a saved service on start: tasks re-linked, targets re-registered', async () => {
    await manager.createService({ service: spec(), targetGroups: [TG] });
    const v = await until(steady, 'steady');
    await manager.close();
    const lb2 = new FakeLoadBalancer();
    manager = await openManager({ loadBalancer: lb2 });
    const again = manager.describeService('web');
    expect(again?.tasks.map((t) => t.taskId).sort()).toEqual(v.tasks.map((t) => t.taskId).sort());
    expect(lb2.log.filter((l) => l.startsWith('register')).length).toBe(2);
    await until(steady, 'steady after re-adoption');
  });

  it('launches every task with startedBy = its deployment id, as ECS does', async () => {
    await manager.createService({ service: spec(), targetGroups: [TG] });
    const v = await until(steady, 'steady');
    const ids = new Set(v.tasks.map((t) => t.taskId));
    const tasks = h.engine.listTasks().filter((t) => ids.has(t.taskId));
    expect(tasks).toHaveLength(2);
    for (const t of tasks) {
      expect(t.startedBy).toBe(v.deployments[0]!.id);
      expect(t.startedBy).toMatch(/^ecs-svc\/\d{19}$/);
      expect(t.group).toBe('service:web');
    }
    const events = h.pushes.filter((p) => ids.has(p.task.taskId)).map((p) => p.event.detail);
    expect(events.length).toBeGreaterThan(0);
    for (const d of events) expect(d.startedBy).toBe(v.deployments[0]!.id);
  });

  it('a task the record missed (crash right after RunTask) joins the deployment its startedBy names', async () => {
    await manager.createService({ service: spec({ desiredCount: 1 }), targetGroups: [TG] });
    const first = await until(steady, 'steady');
    await manager.updateService('web', { forceNewDeployment: true });
    const second = await until(
      (x) => steady(x) && x.deployments[0]!.id !== first.deployments[0]!.id,
      'redeployed',
    );
    await manager.close();
    // Launched for the first deployment (same revision as the second) just before a crash.
    const orphan = await h.engine.runTask({
      taskDefinition: def(1),
      group: 'service:web',
      startedBy: first.deployments[0]!.id,
    });
    manager = await openManager();
    const adopted = manager.describeService('web')!.tasks.find((t) => t.taskId === orphan.taskId);
    expect(second.deployments[0]!.taskDefinition).toBe(first.deployments[0]!.taskDefinition);
    expect(adopted?.deploymentId).toBe(first.deployments[0]!.id);
  });

  it('retries after RunTask itself is refused (e.g. Docker unreachable) and says why', async () => {
    let refusals = 2;
    const engine = new Proxy(h.engine, {
      get(target, prop, receiver) {
        if (prop === 'runTask' && refusals > 0) {
          return () => {
            refusals--;
            return Promise.reject(new Error('Docker is not reachable'));
          };
        }
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    await manager.close();
    manager = await openManager({ engine, throttleBaseMs: 50 });
    manager.on('serviceEvent', (_s, m) => messages.push(m));
    await manager.createService({ service: spec({ desiredCount: 1 }), targetGroups: [TG] });
    await until(steady, 'steady after two refused RunTask calls');
    expect(
      messages.filter((m) => m === '(service web) was unable to start a task: Docker is not reachable'),
    ).toHaveLength(2);
  });

  it('refuses an update to a revision without the load-balanced container port; nothing changes', async () => {
    await manager.createService({ service: spec(), targetGroups: [TG] });
    const before = await until(steady, 'steady');
    const bad = taskDef(
      'web',
      [container('app', { portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: 'tcp' }] })],
      { networkMode: 'host', revision: 2 },
    );
    await expect(
      manager.updateService('web', { taskDefinition: { ref: 'web:2', definition: bad } }),
    ).rejects.toThrow('web:2: container "app" has no tcp portMapping for 80');
    expect(manager.describeService('web')?.deployments.map((d) => d.id)).toEqual(
      before.deployments.map((d) => d.id),
    );
  });

  it('starts the rollback deployment at once even when nothing else happens after the breaker trips', async () => {
    await manager.close();
    manager = await openManager({ throttleBaseMs: 60_000 });
    await manager.createService({ service: spec({ desiredCount: 1 }), targetGroups: [TG] });
    const first = (await until(steady, 'steady on web:1')).deployments[0]!.id;
    h.docker.failNext('start', dockerError(500, 'exec format error'), { times: 3 });
    await manager.updateService('web', { taskDefinition: { ref: 'web:2', definition: def(2) } });
    const v = await until(
      (x) => steady(x) && x.deployments[0]?.id !== first && x.deployments[0]?.taskDefinition === 'web:1',
      'rolled back',
      15_000,
    );
    expect(v.events.some((e) => e.message.includes('deployment failed: tasks failed to start.'))).toBe(true);
    expect(v.deployments[0]?.taskDefinition).toBe('web:1');
  });
});
