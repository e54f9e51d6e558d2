/**
 * Task-role credentials in the UI: by default the role is assumed (no warning); choosing "pass my
 * own credentials" in the launch dialog shows a warning on the task. STS is a local fake the
 * server reaches through AWS_ENDPOINT_URL_STS (the server inherits this worker's environment).
 */
import { resolve } from 'node:path';
import { startFakeSts, type FakeSts } from '../main/test-support/fake-sts.js';
import { expect, test } from './fixtures/test.js';

const defs = (name: string) => resolve(import.meta.dirname, 'definitions', name);
const ROLE = 'arn:aws:iam::123456789012:role/e2e-role';
let sts: FakeSts;
const saved = { ...process.env };

test.beforeAll(async () => {
  sts = await startFakeSts();
  process.env.AWS_ENDPOINT_URL_STS = sts.url;
  process.env.AWS_ACCESS_KEY_ID = 'AKIAE2EDEVELOPER0001';
  process.env.AWS_SECRET_ACCESS_KEY = 'e2e-developer-secret';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
});
test.afterAll(async () => {
  process.env = saved;
  await sts?.close();
});

test('the task role is assumed by default; passing own credentials is a visible choice with a warning on the task', async ({
  app,
}) => {
  const { definitions, tasks } = app;
  await definitions.importFile(defs('role-runner.json'));
  await definitions.select('e2e-role-runner');

  const assumed = await definitions.openLaunch();
  await expect(assumed.root.getByTestId('launch-credentials')).toContainText(
    'Default: the role is assumed with STS',
  );
  await assumed.setPull('prefer-cached');
  await assumed.launch();
  await tasks.expectStatus('RUNNING');
  await expect(tasks.detail.getByTestId('credentials-warning')).toHaveCount(0);
  // The web server asks STS for the caller identity (the account in ARNs) where credentials exist;
  // the task role is what matters here.
  const roleCalls = () => sts.calls.filter((c) => c.action !== 'GetCallerIdentity');
  expect(roleCalls().map((c) => c.action)).toEqual(['AssumeRole']);
  expect(roleCalls()[0]!.params.RoleSessionName).toBe(`taskdeck-${await tasks.taskId()}`);
  await tasks.stop('done');
  await tasks.expectStatus('STOPPED');

  await app.goTo('Definitions');
  await definitions.select('e2e-role-runner');
  const own = await definitions.openLaunch();
  await own.setPassOwnCredentials(true);
  await expect(own.root.getByTestId('launch-credentials')).toContainText('it can do anything you can');
  await own.setPull('prefer-cached');
  await own.launch();
  await tasks.expectStatus('RUNNING');
  const warning = tasks.detail.getByTestId('credentials-warning');
  await expect(warning).toContainText(`instead of its task role ${ROLE}`);
  await expect(warning).toContainText('GetSessionToken');
  await expect(tasks.detail).not.toContainText('e2e-developer-secret');
  expect(roleCalls().map((c) => c.action)).toEqual(['AssumeRole', 'GetSessionToken']);
  await app.screenshot('task-own-credentials-warning');
});
