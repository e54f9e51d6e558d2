/**
 * ECS services from the app (issue 13): create a service of BusyBox httpd behind the local load
 * balancer, watch its deployment complete, read the target-health timeline, scale up and down,
 * roll out a new revision, delete it, and check Docker is left clean (containers, networks and
 * volumes of the family). Screenshots of each view go to e2e/screenshots.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { recordTaskIds } from './fixtures/docker.js';
import { expect, test } from './fixtures/test.js';
import { ServicesPage } from './pages/services-page.js';

const defs = (name: string) => resolve(import.meta.dirname, 'definitions', name);
const FAMILY = 'e2e-svc-web';
const SERVICE = 'e2e-web';

/** A port nobody listens on now (the listener binds it right after). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => done(port));
    });
  });
}

/** Managed Docker objects of this spec's family: containers, networks and volumes. */
function leftovers(): string[] {
  const filters = [
    '--filter',
    'label=com.taskdeck.managed=true',
    '--filter',
    `label=com.amazonaws.ecs.task-definition-family=${FAMILY}`,
  ];
  const list = (args: string[], field = '{{.Name}}') =>
    execFileSync('docker', [...args, ...filters, '--format', field], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  return [
    ...list(['ps', '-a'], '{{.Names}}').map((n) => `container ${n}`),
    ...list(['network', 'ls']).map((n) => `network ${n}`),
    ...list(['volume', 'ls']).map((n) => `volume ${n}`),
  ];
}

const serviceJson = (over: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      serviceName: SERVICE,
      taskDefinition: `${FAMILY}:1`,
      desiredCount: 1,
      launchType: 'EC2',
      loadBalancers: [{ targetGroupArn: 'e2e-web-tg', containerName: 'web', containerPort: 80 }],
      healthCheckGracePeriodSeconds: 10,
      deploymentConfiguration: {
        minimumHealthyPercent: 100,
        maximumPercent: 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
      ...over,
    },
    null,
    2,
  );

const targetGroupJson = (port: number) =>
  JSON.stringify(
    {
      Name: 'e2e-web-tg',
      Protocol: 'HTTP',
      Port: port,
      TargetType: 'instance',
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 5,
      HealthCheckTimeoutSeconds: 2,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
    },
    null,
    2,
  );

test.afterEach(async ({ server }) => {
  // Whatever happened, no service may keep replacing tasks while the fixture stops them.
  const list = await server
    .call<{ serviceName: string; tasks: { taskId: string }[] }[]>('services:list')
    .catch(() => []);
  recordTaskIds(list.flatMap((s) => s.tasks.map((t) => t.taskId)));
  for (const s of list)
    await server.call('services:delete', { serviceName: s.serviceName }).catch(() => undefined);
  await expect
    .poll(async () => (await server.call<unknown[]>('services:list').catch(() => [])).length, {
      timeout: 90_000,
    })
    .toBe(0);
  await expect.poll(() => leftovers(), { timeout: 60_000 }).toEqual([]);
});

test('a service from the app: create, deploy, health timeline, scale, new revision, delete', async ({
  app,
  page,
  server,
}) => {
  test.setTimeout(420_000);
  const services = new ServicesPage(page);
  const port = await freePort();
  const get = async (path: string) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: res.status, body: (await res.text()).trim() };
  };

  await app.goTo('Definitions');
  await app.definitions.importFile(defs('svc-web-r1.json'));
  await expect(app.definitions.item(FAMILY)).toHaveCount(1);

  // Empty list, then the create dialog prefilled from the library definition.
  await services.open();
  await app.screenshot('services-empty');
  const dialog = await services.openCreate();
  await dialog.getByTestId('service-prefill').selectOption({ label: `${FAMILY} (svc-web-r1.json)` });
  await expect(dialog.getByLabel('Service JSON')).toHaveValue(new RegExp(`"taskDefinition": "${FAMILY}:1"`));
  await app.screenshot('services-create-prefilled');

  // A wrong container name and a bad interval come back at their JSON paths, per document.
  await services.fillCreate({
    service: serviceJson({
      loadBalancers: [{ targetGroupArn: 'e2e-web-tg', containerName: 'nope', containerPort: 80 }],
    }),
    targetGroup: targetGroupJson(port).replace(
      '"HealthCheckIntervalSeconds": 5',
      '"HealthCheckIntervalSeconds": 1',
    ),
    delaySeconds: 2,
  });
  await services.submitCreate();
  await expect(dialog.getByTestId('create-service-status')).toContainText('does not validate');
  await expect(services.dialogIssues().filter({ hasText: 'loadBalancers[0].containerName' })).toHaveCount(1);
  await expect(dialog.getByTestId('target-group-json-0').getByTestId('issue-error')).toContainText(
    'HealthCheckIntervalSeconds',
  );
  await app.screenshot('services-create-errors');

  // A 6 s deregistration delay: long enough to watch a target drain, short enough for the test.
  await services.fillCreate({ service: serviceJson(), targetGroup: targetGroupJson(port), delaySeconds: 6 });
  await services.submitCreate();
  await expect(services.detail).toBeVisible({ timeout: 60_000 });
  await expect(services.detail).toHaveAttribute('data-service', SERVICE);

  // The deployment completes once the target passes its health checks.
  await expect(services.deployments('PRIMARY')).toHaveAttribute('data-rollout', 'COMPLETED', {
    timeout: 120_000,
  });
  await expect(services.count('running')).toHaveText('1');
  await expect(services.waiting).toHaveAttribute('data-steady', 'true');
  await expect(page.getByTestId('deployment-timeline').getByTestId('timeline-task')).toHaveCount(1);
  expect(await get('/')).toEqual({ status: 200, body: 'rev1' });
  await app.screenshot('services-detail-deployments');

  // The task's own page says which service and deployment started it (ECS group and startedBy),
  // and the group leads back to the service.
  const deploymentId = (await services.deployments('PRIMARY').getAttribute('data-deployment-id')) ?? '';
  expect(deploymentId).toMatch(/^ecs-svc\/\d{19}$/);
  await page.getByTestId('deployment-timeline').getByTestId('timeline-task').locator('a').first().click();
  await expect(page.getByTestId('task-started-by')).toHaveText(deploymentId);
  await expect(page.getByTestId('task-group')).toHaveText(`service:${SERVICE}`);
  await app.screenshot('services-task-started-by');
  await page.getByTestId('task-group').getByRole('link').click();
  await expect(services.detail).toHaveAttribute('data-service', SERVICE);

  // Target health: a healthy target, each check a mark with its code and latency on hover.
  await services.tab('Target groups');
  await expect(services.targets('healthy')).toHaveCount(1);
  const mark = services.targets('healthy').getByTestId('check-mark').last();
  await mark.hover();
  await expect(services.detail.getByTestId('check-detail')).toContainText(/HTTP 200 · \d+ ms/);
  // A steady target's checks keep appearing (no state change pushes them) while the tab is open.
  const marks = services.targets('healthy').getByTestId('check-mark');
  const seen = await marks.count();
  await expect.poll(() => marks.count(), { timeout: 30_000 }).toBeGreaterThan(seen);
  await app.screenshot('services-target-health');

  // Scale to 2: a second target registers and turns healthy; back to 1: one drains and stops.
  await services.scale(2);
  await expect(services.count('running')).toHaveText('2', { timeout: 120_000 });
  await expect(services.targets('healthy')).toHaveCount(2, { timeout: 120_000 });
  await app.screenshot('services-scaled-2');
  await services.scale(1);
  await expect(services.targets('draining')).toHaveCount(1, { timeout: 60_000 });
  await expect(services.detail.getByTestId('draining-countdown')).toContainText(/Draining: stops in \d s/);
  await app.screenshot('services-draining');
  await expect(services.count('running')).toHaveText('1', { timeout: 120_000 });
  await expect(services.targets('healthy')).toHaveCount(1);
  await app.screenshot('services-scaled-back');

  // A new revision in the library, then a rolling deployment to it.
  await app.goTo('Definitions');
  await app.definitions.importFile(defs('svc-web-r2.json'));
  await expect(app.definitions.item(FAMILY)).toHaveCount(2);
  await services.open();
  await services.row(SERVICE).click();
  await services.updateToRevision(2);
  await expect(services.deployments()).toHaveCount(2, { timeout: 30_000 });
  await app.screenshot('services-rolling');
  await expect(services.deployments('PRIMARY')).toHaveAttribute('data-rollout', 'COMPLETED', {
    timeout: 180_000,
  });
  await expect(services.deployments('PRIMARY')).toContainText(`${FAMILY}:2`);
  await expect(services.deployments('ACTIVE')).toHaveCount(0, { timeout: 120_000 });
  await expect.poll(async () => (await get('/')).body, { timeout: 30_000 }).toBe('rev2');
  await app.screenshot('services-deployed-rev2');

  // Events, newest first, as ECS writes them.
  await services.tab('Events');
  const events = services.detail.getByTestId('service-event');
  await expect(events.first()).toBeVisible();
  await expect(services.detail.getByTestId('service-events')).toContainText('has reached a steady state');
  await app.setTheme('dark');
  await app.screenshot('services-events');
  await services.tab('Target groups');
  await app.screenshot('services-target-health');
  await app.setTheme('light');

  // The list shows the counts.
  await services.open();
  await expect(services.row(SERVICE)).toContainText('1 desired');
  await app.screenshot('services-list');

  // Delete: drains, stops every task, closes the listener; nothing is left on Docker.
  const tasks = (await server.call<{ tasks: { taskId: string }[] }>('services:get', { serviceName: SERVICE }))
    .tasks;
  recordTaskIds(tasks.map((t) => t.taskId));
  await services.row(SERVICE).click();
  await services.delete();
  await expect(services.detail.getByTestId('service-status')).toHaveText(/DRAINING|INACTIVE/);
  await app.screenshot('services-deleting');
  await services.open();
  await expect(services.row(SERVICE)).toHaveCount(0, { timeout: 90_000 });
  await expect.poll(() => leftovers(), { timeout: 60_000 }).toEqual([]);
  await expect
    .poll(
      () =>
        get('/').then(
          (r) => r.status,
          () => 'closed',
        ),
      { timeout: 30_000 },
    )
    .toBe('closed');
});

test('a revision that never gets healthy: the deployment says why, the circuit breaker fails it and rolls back', async ({
  app,
  page,
  server,
}) => {
  test.setTimeout(420_000);
  const services = new ServicesPage(page);
  const port = await freePort();
  for (const file of ['svc-web-r1.json', 'svc-web-r3-unhealthy.json'])
    await server.call('definitions:import', { text: readFileSync(defs(file), 'utf8'), fileName: file });
  const tg = targetGroupJson(port).replace('"e2e-web-tg"', '"e2e-bad-tg"');
  await server.call('services:create', {
    serviceText: serviceJson({
      serviceName: 'e2e-web-bad',
      healthCheckGracePeriodSeconds: 0,
      loadBalancers: [{ targetGroupArn: 'e2e-bad-tg', containerName: 'web', containerPort: 80 }],
    }),
    targetGroupTexts: [tg],
    deregistrationDelaySeconds: 1,
  });
  // Imported behind the page's back (no push for the library): reload to see them.
  await page.reload();
  await services.open();
  await services.row('e2e-web-bad').click();
  await expect(services.deployments('PRIMARY')).toHaveAttribute('data-rollout', 'COMPLETED', {
    timeout: 120_000,
  });

  await services.updateToRevision(3);
  // The timeline says why the rollout waits: the new task's target fails its checks (404).
  const why = page.getByTestId('timeline-waiting');
  await expect(why).toContainText(/unhealthy|failed health checks/, { timeout: 90_000 });
  await expect(why).toContainText('404');
  await app.screenshot('services-deployment-waiting');

  await expect(services.deployments('PRIMARY')).toContainText(`${FAMILY}:3`);

  // Three failed tasks trip the circuit breaker; the service rolls back to revision 1.
  await services.tab('Events');
  await expect(services.detail.getByTestId('service-events')).toContainText('deployment failed', {
    timeout: 300_000,
  });
  await app.screenshot('services-circuit-breaker-events');
  await services.tab('Deployments');
  await expect(services.deployments('PRIMARY')).toContainText(`${FAMILY}:1`, { timeout: 60_000 });
  await expect(services.deployments('PRIMARY')).toHaveAttribute('data-rollout', 'COMPLETED', {
    timeout: 120_000,
  });
  // The failed revision is still listed, marked, and no longer offered as the next deployment.
  const select = services.detail.getByTestId('revision-select');
  await expect(select.locator('option', { hasText: `${FAMILY}:3` })).toHaveText(
    `${FAMILY}:3 (failed, rolled back)`,
  );
  await expect(select).toHaveValue('');
  await expect(services.detail.getByTestId('update-revision')).toBeDisabled();
  await expect(services.detail.getByTestId('update-revision')).toHaveText('Update');
  await app.screenshot('services-rolled-back');
  expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('rev1\n');
});
