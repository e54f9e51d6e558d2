/**
 * Visual debugging (issue 6) against the real engine and Docker: dependency graph (live and on a
 * definition), launch timeline, health timeline, logs viewer at 100 000+ lines, network inspector
 * for awsvpc, events feed. Each view is photographed in light and dark.
 */
import Docker from 'dockerode';
import { resolve } from 'node:path';
import { expect, test } from './fixtures/test.js';
import type { AppPage } from './pages/app-page.js';
import { InsightPage } from './pages/insight-page.js';

const defs = (name: string) => resolve(import.meta.dirname, 'definitions', name);

async function launch(app: AppPage, file: string): Promise<void> {
  await app.definitions.pasteFile(defs(file), { expectValid: true });
  const dialog = await app.definitions.openLaunch();
  await dialog.setPull('prefer-cached');
  await dialog.launch();
  await expect(app.tasks.detail).toBeVisible();
}

test('chain: graph waits then releases; timeline orders rows by start and marks releases', async ({
  app,
  page,
}) => {
  test.setTimeout(120_000);
  const view = new InsightPage(page);
  await launch(app, 'viz-chain.json');
  await view.tab('Graph');
  // db becomes HEALTHY only after its first probe (interval 5 s): app and migrate wait for it.
  await view.expectEdgeState('db', 'migrate', 'waiting');
  await expect(view.edge('db', 'migrate')).toContainText('db: HEALTHY');
  await expect(view.edge('migrate', 'app')).toHaveAttribute('data-state', /waiting|declared/);
  await view.screenshotBoth(app, 'graph-waiting');

  await view.expectEdgeState('db', 'migrate', 'met');
  await view.expectEdgeState('db', 'app', 'met');
  await view.expectEdgeState('migrate', 'app', 'met');
  await view.expectEdgeState('app', 'sidecar', 'met');
  await expect(view.node('sidecar')).toHaveAttribute('data-status', 'RUNNING');
  await expect(view.node('migrate').getByTestId('node-exit')).toHaveText('exit 0');

  // Click a node: its details and logs.
  await view.node('db').click();
  const panel = page.getByTestId('container-panel');
  await expect(panel).toContainText('db');
  await expect(panel.getByTestId('logs-viewer')).toContainText('db ready');
  await view.screenshotBoth(app, 'graph-released');

  await view.tab('Timeline');
  await expect(view.timelineRowNames()).toHaveText([/^db/, /^migrate/, /^app/, /^sidecar/]);
  // Releases: migrate (db HEALTHY), app (migrate SUCCESS + db HEALTHY), sidecar (app START).
  await expect(view.marker('released')).toHaveCount(4);
  await view.marker('released').first().hover();
  await expect(page.getByTestId('timeline-hover')).toContainText('released');

  await app.tasks.stop('timeline demo');
  await view.expectTaskStatus('STOPPED');
  await expect(view.marker('stop-requested')).toHaveCount(1);
  await view.screenshotBoth(app, 'timeline');

  await view.tab('Events');
  const events = page.getByTestId('event');
  await expect(events.first()).toContainText('STOPPED');
  await expect(events.first()).toContainText('lastStatus');
  await expect(events.last()).toContainText('First event');
  await view.screenshotBoth(app, 'events');

  await view.tab('Health');
  await expect(page.getByTestId('health-row-db').getByTestId('probe-mark').first()).toBeVisible();
});

test('a failing SUCCESS dependency shows its reason on the edge', async ({ app, page }) => {
  const view = new InsightPage(page);
  await launch(app, 'viz-failing.json');
  await view.tab('Graph');
  await view.expectEdgeState('init', 'app', 'failed');
  await expect(view.edge('init', 'app')).toContainText('init exited with code 3, SUCCESS requires 0');
  await view.expectTaskStatus('STOPPED');
  await expect(view.node('init').getByTestId('node-exit')).toHaveText('exit 3');
  await view.screenshotBoth(app, 'graph-failed');
  await view.tab('Timeline');
  await expect(view.marker('dependency-failed')).toHaveCount(1);
});

test('a dependency cycle is drawn on the definition graph', async ({ app, page }) => {
  const view = new InsightPage(page);
  await app.definitions.pasteFile(defs('viz-cycle.json'), { expectValid: false });
  await app.definitions.select('e2e-viz-cycle');
  await view.tab('Graph');
  await expect(page.getByTestId('definition-graph')).toBeVisible();
  await expect(view.edge('worker', 'api')).toHaveAttribute('data-state', 'invalid');
  await expect(view.edge('api', 'worker')).toHaveAttribute('data-state', 'invalid');
  await expect(view.edge('api', 'proxy')).toHaveAttribute('data-state', 'declared');
  await expect(page.getByTestId('definition-graph')).toContainText('cyclic');
  await view.screenshotBoth(app, 'definition-graph-cycle');
});

test('unhealthy container: probe marks with output on hover', async ({ app, page }) => {
  const view = new InsightPage(page);
  await launch(app, 'viz-unhealthy.json');
  await view.tab('Health');
  const row = page.getByTestId('health-row-web');
  await expect(row.locator('[data-health="UNHEALTHY"]')).toBeVisible({ timeout: 30_000 });
  await expect(row.getByTestId('probe-mark').first()).toBeVisible();
  await expect(row).toContainText('echo probe says no');
  await row.getByTestId('probe-mark').first().hover();
  await expect(row.getByTestId('probe-detail')).toContainText('probe says no: port 8080 closed');
  await expect(row.getByTestId('probe-detail')).toContainText('exit 1');
  await view.screenshotBoth(app, 'health', () => row.getByTestId('probe-mark').first().hover());
});

test('logs: 120 000 lines stream in; search finds a line near the end', async ({ app, page }) => {
  test.setTimeout(150_000);
  const view = new InsightPage(page);
  await launch(app, 'viz-chatty.json');
  await view.tab('Logs');
  await expect(page.getByTestId('log-viewport')).toBeVisible();
  // Lines stream in while the viewer is open (frame times during the append are a benchmark,
  // not a test: see `npm run bench:ui`).
  await expect(view.logCount()).toContainText('120,002 of 120,002', { timeout: 90_000 });

  // Following: the last line is on screen.
  await expect(page.getByTestId('log-viewport')).toContainText('chatty done');
  await view.screenshotBoth(app, 'logs-following');

  await view.logSearch().fill('chatty line 119990');
  await expect(page.getByTestId('log-match-count')).toHaveText('0 / 1');
  await view.logSearch().press('Enter');
  await expect(page.getByTestId('log-match-count')).toHaveText('1 / 1');
  await expect(page.locator('.log-match-current')).toHaveText('chatty line 119990');

  // Regex search, next/previous across many matches.
  await page.getByLabel('.* Regex').check();
  await view.logSearch().fill('line 11999\\d$');
  await expect(page.getByTestId('log-match-count')).toHaveText('0 / 10');
  await view.logSearch().press('Enter');
  await view.logSearch().press('Enter');
  await expect(page.getByTestId('log-match-count')).toHaveText('2 / 10');
  await expect(page.locator('.log-match-current')).toHaveText('line 119991');
  await page.getByRole('button', { name: 'Previous match' }).click();
  await expect(page.getByTestId('log-match-count')).toHaveText('1 / 10');
  await expect(page.getByTestId('log-follow')).toBeVisible();
  await view.screenshotBoth(app, 'logs-search');

  // Filters: stderr only shows the quiet container's line; timestamps toggle.
  await page.getByRole('button', { name: 'stderr', exact: true }).click();
  await expect(view.logCount()).toContainText('1 of 120,002');
  await expect(page.getByTestId('log-viewport')).toContainText('quiet here');
  await page.getByRole('button', { name: 'all', exact: true }).click();
  await page.getByTestId('log-view').selectOption('quiet');
  await expect(view.logCount()).toContainText('1 of 120,002');
});

test('awsvpc: the ENI shown equals what Docker assigned; metadata documents per container', async ({
  app,
  page,
}) => {
  const view = new InsightPage(page);
  await launch(app, 'viz-awsvpc.json');
  await app.tasks.expectStatus('RUNNING');
  const taskId = await app.tasks.taskId();
  await view.tab('Network');
  await expect(page.getByTestId('network-mode')).toHaveText('awsvpc');

  const docker = new Docker();
  const [pause] = await docker.listContainers({
    filters: { label: ['com.taskdeck.role=pause', `com.taskdeck.task-id=${taskId}`] },
  });
  expect(pause).toBeDefined();
  const info = await docker.getContainer(pause!.Id).inspect();
  const net = Object.values(info.NetworkSettings.Networks)[0]!;
  await expect(page.getByTestId('eni-privateIPv4Address')).toHaveText(net.IPAddress);
  await expect(page.getByTestId('eni-macAddress')).toHaveText(net.MacAddress);
  await expect(page.getByTestId('eni-privateDnsName')).toHaveText(
    `ip-${net.IPAddress.replace(/\./g, '-')}.ec2.internal`,
  );
  await expect(page.getByTestId('port-link')).toHaveAttribute('href', 'http://localhost:18080');

  const tree = page.locator('.json-tree');
  await expect(tree).toContainText('"DockerId"');
  await expect(tree).toContainText('"Name": "web"');
  await expect(page.getByTestId('credentials-status')).toContainText('No task role');
  await page.getByRole('button', { name: '${URI}/task' }).click();
  await expect(tree).toContainText('"TaskARN"');
  await page.getByRole('button', { name: '${URI}', exact: true }).click();
  await view.screenshotBoth(app, 'network-awsvpc');
});
