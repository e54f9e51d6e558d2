/**
 * Semantics §7 on real Docker and the local registry (127.0.0.1:5000): the four pull behaviours,
 * per-layer progress, imageDigest from RepoDigests. Each test pulls its own freshly pushed
 * repository (a committed layer unique to this run), so nothing is cached by accident.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import type { PullBehavior, PullProgress, TaskDetail } from '../../contract/dto.js';
import {
  byName,
  container,
  leftovers,
  NOTHING_LEFT,
  startEngine,
  taskDef,
  TEST_IMAGE,
  type EngineHarness,
} from '../test-support/engine-fixture.js';

const REGISTRY = '127.0.0.1:5000';
const RUN = randomBytes(4).toString('hex');
/** Repositories pushed for this run, by purpose; each holds the same unique image. */
const REPOS = ['default', 'always', 'once', 'prefer'] as const;
const refOf = (purpose: (typeof REPOS)[number]) => `${REGISTRY}/taskdeck/it-${purpose}-${RUN}:v1`;
/** Digest the registry returned when we pushed (same content in every repository). */
let pushedDigest: string;

let h: EngineHarness;
const progress: PullProgress[] = [];

async function follow(
  stream: NodeJS.ReadableStream,
): Promise<{ aux?: { Digest?: string }; error?: string }[]> {
  return new Promise((resolve, reject) =>
    h.docker.modem.followProgress(
      stream,
      (err: Error | null, out: { aux?: { Digest?: string }; error?: string }[]) =>
        err ? reject(err) : resolve(out),
    ),
  );
}

beforeAll(async () => {
  h = await startEngine();
  h.engine.on('pull', (p) => progress.push(p));
  // A layer nobody has: random bytes committed on top of the test image.
  const maker = await h.docker.createContainer({
    Image: TEST_IMAGE,
    Cmd: ['sh', '-c', 'head -c 200000 /dev/urandom > /blob'],
  });
  await maker.start();
  await maker.wait();
  const first = refOf(REPOS[0]);
  await maker.commit({ repo: first.slice(0, first.lastIndexOf(':')), tag: 'v1' });
  await maker.remove();
  for (const purpose of REPOS) {
    const ref = refOf(purpose);
    if (ref !== first)
      await h.docker.getImage(first).tag({ repo: ref.slice(0, ref.lastIndexOf(':')), tag: 'v1' });
    const out = await follow(
      (await h.docker
        .getImage(ref)
        .push({ authconfig: { serveraddress: REGISTRY } } as never)) as unknown as NodeJS.ReadableStream,
    );
    const failed = out.find((o) => o.error);
    if (failed) throw new Error(`push ${ref}: ${failed.error}`);
    pushedDigest = out.find((o) => o.aux?.Digest)!.aux!.Digest!;
  }
  // Gone locally: the engine has to fetch it.
  for (const purpose of REPOS) await h.docker.getImage(refOf(purpose)).remove();
});

/** Removes every image this file pulled (each test starts with none of them cached). */
async function removePulled(): Promise<void> {
  for (const purpose of REPOS) {
    await h?.docker
      .getImage(refOf(purpose))
      .remove({ force: true })
      .catch(() => {});
  }
}
afterEach(removePulled);
afterAll(async () => {
  await h?.close();
  await removePulled();
});

async function runOnce(
  family: string,
  image: string,
  pullBehavior: PullBehavior,
): Promise<{ done: TaskDetail; pulls: PullProgress[] }> {
  const t = await h.engine.runTask({
    taskDefinition: taskDef(family, [container('app', { image, command: ['true'] })]),
    pullBehavior,
  });
  const done = await h.engine.waitForStopped(t.taskId);
  expect(await leftovers(h.docker, t.taskId)).toEqual(NOTHING_LEFT);
  return { done, pulls: progress.filter((p) => p.taskId === t.taskId) };
}

const present = (ref: string) =>
  h.docker
    .getImage(ref)
    .inspect()
    .then(
      () => true,
      () => false,
    );
const pulledPhase = (t: TaskDetail) => byName(t, 'app').phases.find((p) => p.phase === 'PULLED');

test('default: pulls from the registry with per-layer progress; imageDigest is the RepoDigests digest', async () => {
  const ref = refOf('default');
  const { done, pulls } = await runOnce('img-default', ref, 'default');
  expect(byName(done, 'app').exitCode).toBe(0);
  expect(pulledPhase(done)?.detail).toBeUndefined();
  // Progress per layer: the new layer went through download and extraction, with byte counts.
  for (const p of pulls) expect(p).toMatchObject({ container: 'app', image: ref });
  const layers = new Set(pulls.filter((p) => p.layer && p.status === 'Pull complete').map((p) => p.layer));
  expect(layers.size).toBeGreaterThanOrEqual(1);
  const [layer] = [...layers];
  const statuses = pulls.filter((p) => p.layer === layer).map((p) => p.status);
  expect(statuses).toEqual(
    expect.arrayContaining(['Pulling fs layer', 'Downloading', 'Download complete', 'Pull complete']),
  );
  expect(pulls.some((p) => p.layer === layer && p.total !== undefined && p.current !== undefined)).toBe(true);
  // The digest recorded is the one Docker keeps for the image, which is the one we pushed.
  const info = await h.docker.getImage(ref).inspect();
  const repoDigest = info.RepoDigests.find((d) => d.startsWith(`${ref.slice(0, ref.lastIndexOf(':'))}@`));
  expect(repoDigest).toBeDefined();
  expect(byName(done, 'app').imageDigest).toBe(repoDigest!.slice(repoDigest!.indexOf('@') + 1));
  expect(byName(done, 'app').imageDigest).toBe(pushedDigest);
  const last = (await h.engine.events(done.taskId)).at(-1)!;
  expect(last.detail.containers[0]!.imageDigest).toBe(pushedDigest);
});

test('default: a failed pull falls back to the cached image', async () => {
  // docker.io is unreachable here, so pulling the (locally built) test image fails fast.
  const { done, pulls } = await runOnce('img-default-cache', TEST_IMAGE, 'default');
  expect(byName(done, 'app').exitCode).toBe(0);
  expect(done.stopCode).toBe('EssentialContainerExited');
  expect(pulledPhase(done)?.detail).toBe('pull failed; using cached image');
  expect(pulls.some((p) => p.status.startsWith('pull failed, using cached image'))).toBe(true);
  // A locally built image has no RepoDigests, hence no digest.
  expect(byName(done, 'app').imageDigest).toBeUndefined();
});

test('always: a failed pull fails the task even though the image is cached', async () => {
  const { done } = await runOnce('img-always-fail', TEST_IMAGE, 'always');
  expect(done.stopCode).toBe('TaskFailedToStart');
  expect(byName(done, 'app').reason).toMatch(/^CannotPullContainerError: /);
  expect(done.stoppedReason).toBe(byName(done, 'app').reason);
  expect(byName(done, 'app').runtimeId).toBeUndefined();
});

test('always: pulls again when the image is already present', async () => {
  const ref = refOf('always');
  const first = await runOnce('img-always', ref, 'always');
  expect(first.pulls.some((p) => p.status === 'Pull complete')).toBe(true);
  const second = await runOnce('img-always', ref, 'always');
  expect(second.pulls.length).toBeGreaterThan(0);
  expect(second.pulls.some((p) => /up to date/i.test(p.status))).toBe(true);
  expect(byName(second.done, 'app').exitCode).toBe(0);
});

test('once: pulled the first time only, also across an engine restart', async () => {
  const ref = refOf('once');
  const first = await runOnce('img-once', ref, 'once');
  expect(first.pulls.some((p) => p.status === 'Pull complete')).toBe(true);
  expect(byName(first.done, 'app').exitCode).toBe(0);

  const second = await runOnce('img-once', ref, 'once');
  expect(second.pulls).toEqual([]);
  expect(pulledPhase(second.done)?.detail).toBe('cached');
  expect(byName(second.done, 'app').imageDigest).toBe(pushedDigest);

  await h.restart();
  h.engine.on('pull', (p) => progress.push(p));
  const third = await runOnce('img-once', ref, 'once');
  expect(third.pulls).toEqual([]);
  expect(byName(third.done, 'app').exitCode).toBe(0);
});

test('once: an image present but never pulled by this engine is pulled (and a failure fails the task)', async () => {
  const { done } = await runOnce('img-once-local', TEST_IMAGE, 'once');
  expect(done.stopCode).toBe('TaskFailedToStart');
  expect(byName(done, 'app').reason).toMatch(/^CannotPullContainerError: /);
});

test('prefer-cached: no pull at all when the image is present', async () => {
  const { done, pulls } = await runOnce('img-prefer-cached', TEST_IMAGE, 'prefer-cached');
  expect(pulls).toEqual([]);
  expect(pulledPhase(done)?.detail).toBe('cached');
  expect(byName(done, 'app').exitCode).toBe(0);
});

test('prefer-cached: pulls when the image is absent', async () => {
  const ref = refOf('prefer');
  expect(await present(ref)).toBe(false);
  const { done, pulls } = await runOnce('img-prefer-absent', ref, 'prefer-cached');
  expect(pulls.some((p) => p.status === 'Pull complete')).toBe(true);
  expect(byName(done, 'app').exitCode).toBe(0);
  expect(byName(done, 'app').imageDigest).toBe(pushedDigest);
  expect(await present(ref)).toBe(true);
});

test('an image missing from the registry fails to start with CannotPullContainerError, whatever the behaviour', async () => {
  for (const behavior of ['default', 'always', 'once', 'prefer-cached'] as const) {
    const { done } = await runOnce('img-missing', `${REGISTRY}/nope/missing:latest`, behavior);
    expect({ behavior, code: done.stopCode }).toEqual({ behavior, code: 'TaskFailedToStart' });
    expect(byName(done, 'app').reason).toMatch(
      /^CannotPullContainerError: .*127\.0\.0\.1:5000\/nope\/missing/,
    );
  }
});
