/**
 * Rolling deployments on real Docker with the real local load balancer: zero failed requests
 * under a client load loop, the circuit breaker failing and rolling back a never-healthy
 * revision, and an app restart in the middle of a deployment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  httpdDef,
  isSteady,
  loadLoop,
  serviceSpec,
  startServiceHarness,
  testTargetGroup,
  waitForService,
  type ServiceHarness,
} from '../test-support/service-fixture.js';

let h: ServiceHarness;
beforeAll(async () => {
  h = await startServiceHarness();
});
afterAll(async () => h?.close());

const revOf = (taskId: string) => h.engineHarness.engine.describeTask(taskId)?.revision;

describe('rolling deployments', () => {
  it('rolls out a new revision with zero non-2xx responses under load', async () => {
    const port = await freePort();
    const tg = testTargetGroup('roll-it', port);
    await h.manager.createService({
      service: serviceSpec('roll-it', httpdDef('roll-it', 1), tg),
      targetGroups: [tg],
    });
    await waitForService(h, 'roll-it', isSteady, 'steady on rev1');
    const load = loadLoop(port);
    await h.manager.updateService('roll-it', {
      taskDefinition: { ref: 'roll-it:2', definition: httpdDef('roll-it', 2) },
    });
    const v = await waitForService(
      h,
      'roll-it',
      (x) => isSteady(x) && x.deployments[0]?.taskDefinition === 'roll-it:2',
      'rev2 completed',
    );
    await new Promise((r) => setTimeout(r, 300));
    const result = await load.stop();
    expect(result.sent).toBeGreaterThan(20);
    expect(Object.fromEntries(load.statuses)).toEqual({ 200: result.sent });
    expect(result.non2xx).toBe(0);
    expect(load.bodies).toEqual(new Set(['rev1', 'rev2']));
    expect(v.tasks.filter((t) => t.lastStatus === 'RUNNING').map((t) => revOf(t.taskId))).toEqual([2, 2]);
    expect(
      h.messages.some((m) =>
        /^\(service roll-it\) \(deployment ecs-svc\/\d{19}\) deployment completed\.$/.test(m),
      ),
    ).toBe(true);
    await h.manager.deleteService('roll-it');
  }, 110_000);

  it('fails a never-healthy revision by the circuit breaker and rolls back to the last completed one', async () => {
    const port = await freePort();
    const tg = testTargetGroup('cb-it', port, { deregistrationDelaySeconds: 0 });
    const spec = serviceSpec('cb-it', httpdDef('cb-it', 1), tg, {
      circuitBreaker: { enable: true, rollback: true },
    });
    await h.manager.createService({ service: spec, targetGroups: [tg] });
    const first = await waitForService(h, 'cb-it', isSteady, 'steady on rev1');
    const firstId = first.deployments[0]!.id;
    await h.manager.updateService('cb-it', {
      taskDefinition: { ref: 'cb-it:2', definition: httpdDef('cb-it', 2, { healthy: false }) },
    });
    const waiting = await waitForService(
      h,
      'cb-it',
      (x) =>
        /failed health checks \(GET \/health → 404, 2 of 2 unhealthy checks\)/.test(
          x.deployments[0]?.waitingFor ?? '',
        ),
      'waitingFor naming the failing check',
      60_000,
    );
    expect(waiting.deployments[0]?.waitingFor).toMatch(/^new task [0-9a-f]{8} failed health checks/);
    const failed = await waitForService(
      h,
      'cb-it',
      (x) => x.deployments.some((d) => d.rolloutState === 'FAILED'),
      'circuit breaker FAILED',
      90_000,
    );
    const bad = failed.deployments.find((d) => d.rolloutState === 'FAILED')!;
    expect(bad.failedTasks).toBeGreaterThanOrEqual(3);
    expect(bad.failureThreshold).toBe(3);
    expect(bad.rolloutStateReason).toBe('ECS deployment circuit breaker: tasks failed to start.');
    expect(failed.deployments[0]!.rolloutStateReason).toBe(
      `ECS deployment circuit breaker: rolling back to deploymentId ${firstId}.`,
    );
    const back = await waitForService(
      h,
      'cb-it',
      (x) => isSteady(x) && x.deployments[0]?.taskDefinition === 'cb-it:1',
      'rolled back',
      60_000,
    );
    expect(back.tasks.filter((t) => t.lastStatus === 'RUNNING').map((t) => revOf(t.taskId))).toEqual([1, 1]);
    await h.manager.deleteService('cb-it');
  }, 110_000);

  it('finishes a deployment after the app restarts in the middle of it', async () => {
    const port = await freePort();
    const tg = testTargetGroup('restart-it', port);
    await h.manager.createService({
      service: serviceSpec('restart-it', httpdDef('restart-it', 1), tg),
      targetGroups: [tg],
    });
    await waitForService(h, 'restart-it', isSteady, 'steady on rev1');
    await h.manager.updateService('restart-it', {
      taskDefinition: { ref: 'restart-it:2', definition: httpdDef('restart-it', 2) },
    });
    await waitForService(
      h,
      'restart-it',
      (x) => x.tasks.some((t) => t.lastStatus === 'RUNNING' && revOf(t.taskId) === 2),
      'a rev2 task RUNNING',
    );
    await h.restart();
    const v = await waitForService(
      h,
      'restart-it',
      (x) => isSteady(x) && x.deployments[0]?.taskDefinition === 'restart-it:2',
      'rev2 completed after restart',
    );
    const running = v.tasks.filter((t) => t.lastStatus === 'RUNNING');
    expect(running.map((t) => revOf(t.taskId))).toEqual([2, 2]);
    const rev1Left = h.engineHarness.engine
      .listTasks()
      .filter((t) => t.group === 'service:restart-it' && t.revision === 1 && t.lastStatus !== 'STOPPED');
    expect(rev1Left).toEqual([]);
    expect(
      v.targetGroups[0]!.targets.filter((t) => t.state === 'healthy')
        .map((t) => t.taskId)
        .sort(),
    ).toEqual(running.map((t) => t.taskId).sort());
    await h.manager.deleteService('restart-it');
  }, 110_000);
});
