/**
 * Services on real Docker with BusyBox httpd in the tasks and the real local load balancer:
 * steady state, replacement after an essential exit, an unhealthy target replaced, scale up/down,
 * and draining (a slow in-flight request completes after deregistration).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelledLeftovers, NOTHING_LEFT } from '../test-support/engine-fixture.js';
import {
  freePort,
  get,
  httpdDef,
  isSteady,
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

const containerOf = async (taskId: string) => {
  const [c] = await h.engineHarness.docker.listContainers({
    filters: { label: [`com.taskdeck.task-id=${taskId}`] },
  });
  if (!c) throw new Error(`no container for task ${taskId}`);
  return h.engineHarness.docker.getContainer(c.Id);
};
const exec = async (taskId: string, cmd: string[]) => {
  const e = await (await containerOf(taskId)).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await e.start({});
  await new Promise((resolve) => {
    stream.on('end', resolve);
    stream.resume();
  });
};
const live = (v: { tasks: readonly { lastStatus: string; taskId: string }[] }) =>
  v.tasks.filter((t) => t.lastStatus !== 'STOPPED');

describe('a service behind the local load balancer', () => {
  it('reaches a steady state, serves through the listener, replaces an exited task and an unhealthy one, scales, drains', async () => {
    const port = await freePort();
    const tg = testTargetGroup('svc-it', port, { deregistrationDelaySeconds: 3 });
    const def = httpdDef('svc-it', 1);
    await h.manager.createService({ service: serviceSpec('svc-it', def, tg), targetGroups: [tg] });

    // Steady state.
    let v = await waitForService(h, 'svc-it', isSteady, 'steady state');
    expect(v.events.map((e) => e.message)).toContain('(service svc-it) has reached a steady state.');
    expect(
      h.messages.filter(
        (m) => m === `(service svc-it) registered 1 targets in (target-group ${tg.targetGroupArn})`,
      ),
    ).toHaveLength(2);
    expect((await get(port)).body.trim()).toBe('rev1');
    const group = v.targetGroups[0]!;
    expect(group.targets.filter((t) => t.state === 'healthy').map((t) => t.host)).toEqual([
      '127.0.0.1',
      '127.0.0.1',
    ]);

    // An essential container exits → replaced.
    const [victim] = live(v);
    await exec(victim!.taskId, ['kill', '1']);
    v = await waitForService(
      h,
      'svc-it',
      (x) => isSteady(x) && !live(x).some((t) => t.taskId === victim!.taskId),
      'replacement after an essential exit',
    );
    expect(h.engineHarness.engine.describeTask(victim!.taskId)?.stopCode).toBe('EssentialContainerExited');

    // An unhealthy target (its /health disappears) → drained, stopped and replaced.
    const [sick] = live(v);
    await exec(sick!.taskId, ['rm', '/www/health']);
    v = await waitForService(
      h,
      'svc-it',
      (x) => isSteady(x) && !live(x).some((t) => t.taskId === sick!.taskId),
      'unhealthy task replaced',
    );
    expect(h.messages).toContain(
      `(service svc-it) (port ${v.targetGroups[0]!.targets.find((t) => t.taskId === sick!.taskId)?.port ?? ''}) is unhealthy in (target-group ${tg.targetGroupArn}) due to (reason Health checks failed with these codes: [404]).`,
    );
    expect(h.messages).toContain(`(service svc-it) has stopped 1 running tasks: (task ${sick!.taskId}).`);

    // Scale up to 3, then down to 1 while a slow request is in flight on the task being drained.
    await h.manager.updateService('svc-it', { desiredCount: 3 });
    v = await waitForService(h, 'svc-it', (x) => isSteady(x) && x.runningCount === 3, 'scaled to 3');
    const slow = Array.from({ length: 3 }, () => get(port, '/cgi-bin/slow'));
    await new Promise((r) => setTimeout(r, 300));
    await h.manager.updateService('svc-it', { desiredCount: 1 });
    const draining = await waitForService(
      h,
      'svc-it',
      (x) => x.targetGroups[0]!.targets.filter((t) => t.state === 'draining').length === 2,
      'two targets draining',
    );
    const drainingIds = draining.targetGroups[0]!.targets.filter((t) => t.state === 'draining').map(
      (t) => t.taskId,
    );
    for (const id of drainingIds) expect(h.engineHarness.engine.describeTask(id)?.lastStatus).toBe('RUNNING');
    const slowResults = await Promise.all(slow);
    expect(slowResults.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(slowResults.every((r) => r.body.trim() === 'slow')).toBe(true);
    v = await waitForService(h, 'svc-it', (x) => isSteady(x) && x.runningCount === 1, 'scaled to 1');
    for (const id of drainingIds) {
      const milestones = v.tasks.find((t) => t.taskId === id)?.milestones.map((m) => m.kind) ?? [];
      expect(milestones.indexOf('draining')).toBeLessThan(milestones.indexOf('stopping'));
    }
    expect(h.messages).toContain('(service svc-it) has begun draining connections on 1 tasks.');
    expect(h.messages).toContain(
      `(service svc-it) deregistered 1 targets in (target-group ${tg.targetGroupArn})`,
    );

    // Delete: everything drained, stopped and removed.
    await h.manager.deleteService('svc-it');
    expect(h.manager.describeService('svc-it')).toBeUndefined();
    expect((await get(port)).status).toBe(0);
    for (const t of v.tasks)
      expect(h.engineHarness.engine.describeTask(t.taskId)?.lastStatus).toBe('STOPPED');
    const ids = v.tasks.map((t) => t.taskId);
    for (const id of ids)
      expect(await labelledLeftovers(h.engineHarness.docker, `com.taskdeck.task-id=${id}`)).toEqual(
        NOTHING_LEFT,
      );
  }, 110_000);

  it('registers an awsvpc task at its ENI address and container port', async () => {
    const port = await freePort();
    const tg = testTargetGroup('vpc-it', port, { targetType: 'ip', deregistrationDelaySeconds: 0 });
    await h.manager.createService({
      service: serviceSpec('vpc-it', httpdDef('vpc-it', 1, { awsvpc: true }), tg, { desiredCount: 1 }),
      targetGroups: [tg],
    });
    const v = await waitForService(h, 'vpc-it', isSteady, 'awsvpc steady state');
    const [target] = v.targetGroups[0]!.targets.filter((t) => t.state === 'healthy');
    const task = h.engineHarness.engine.describeTask(v.tasks[0]!.taskId)!;
    const eni = task.attachments[0]?.details.find((d) => d.name === 'privateIPv4Address')?.value;
    expect(eni).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(target).toMatchObject({ host: eni, port: 80 });
    expect(await get(port)).toEqual({ status: 200, body: 'rev1\n' });
    await h.manager.deleteService('vpc-it');
  }, 60_000);
});
