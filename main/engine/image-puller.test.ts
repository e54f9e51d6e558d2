import { EventEmitter } from 'node:events';
import type Docker from 'dockerode';
import { describe, expect, test } from 'vitest';
import type { PullBehavior } from '../../contract/dto.js';
import {
  digestFor,
  ImagePuller,
  repositoryOf,
  withDefaultTag,
  type PullProgressLine,
} from './image-puller.js';

describe('image references', () => {
  test.each([
    ['busybox', 'busybox:latest'],
    ['busybox:1.36', 'busybox:1.36'],
    ['library/busybox', 'library/busybox:latest'],
    ['127.0.0.1:5000/team/app', '127.0.0.1:5000/team/app:latest'],
    ['127.0.0.1:5000/team/app:v1', '127.0.0.1:5000/team/app:v1'],
    ['public.ecr.aws/docker/library/nginx', 'public.ecr.aws/docker/library/nginx:latest'],
    ['busybox@sha256:abc', 'busybox@sha256:abc'],
    ['registry:5000/app@sha256:abc', 'registry:5000/app@sha256:abc'],
  ])('withDefaultTag(%s) = %s', (image, want) => {
    expect(withDefaultTag(image)).toBe(want);
  });

  test.each([
    ['busybox', 'busybox'],
    ['busybox:1.36', 'busybox'],
    ['127.0.0.1:5000/team/app', '127.0.0.1:5000/team/app'],
    ['127.0.0.1:5000/team/app:v1', '127.0.0.1:5000/team/app'],
    ['busybox@sha256:abc', 'busybox'],
    ['app:v1@sha256:abc', 'app'],
    [
      '000000000000.dkr.ecr.us-east-1.amazonaws.com/app:prod',
      '000000000000.dkr.ecr.us-east-1.amazonaws.com/app',
    ],
  ])('repositoryOf(%s) = %s', (image, want) => {
    expect(repositoryOf(image)).toBe(want);
  });

  test.each<[string, string, string[] | undefined, string | undefined]>([
    [
      'exact repository',
      '127.0.0.1:5000/app:v1',
      ['other@sha256:1', '127.0.0.1:5000/app@sha256:2'],
      'sha256:2',
    ],
    ['Docker Hub short name', 'busybox:latest', ['busybox@sha256:3'], 'sha256:3'],
    ['Docker Hub long name', 'docker.io/library/busybox', ['busybox@sha256:4'], 'sha256:4'],
    ['library/ prefix', 'library/busybox', ['busybox@sha256:5'], 'sha256:5'],
    ['no match → first digest', 'app:v1', ['mirror/app@sha256:6'], 'sha256:6'],
    ['no RepoDigests (built locally)', 'app:v1', [], undefined],
    ['RepoDigests missing', 'app:v1', undefined, undefined],
  ])('digestFor: %s', (_name, image, repoDigests, want) => {
    expect(digestFor(image, repoDigests)).toBe(want);
  });
});

/** A Docker stand-in: images present, a scripted pull (progress lines, then success or an error). */
class FakeDocker {
  readonly images = new Map<string, { Id: string; RepoDigests: string[] }>();
  readonly pulls: { ref: string; opts: unknown }[] = [];
  pullResult: {
    progress?: object[];
    error?: string;
    throws?: string;
    adds?: { Id: string; RepoDigests: string[] };
  } = {};
  gate: Promise<void> = Promise.resolve();

  getImage(ref: string) {
    return {
      inspect: async () => {
        const i = this.images.get(ref);
        if (!i) throw Object.assign(new Error('No such image'), { statusCode: 404 });
        return i;
      },
    };
  }

  async pull(ref: string, opts: unknown) {
    this.pulls.push({ ref, opts });
    if (this.pullResult.throws) throw new Error(this.pullResult.throws);
    return new EventEmitter();
  }

  readonly modem = {
    followProgress: (
      _stream: unknown,
      onFinished: (err: Error | null, out: object[]) => void,
      onProgress: (e: object) => void,
    ) => {
      this.gate.then(
        () => {
          const r = this.pullResult;
          for (const p of r.progress ?? []) onProgress(p);
          if (r.error)
            return onFinished(null, [
              ...(r.progress ?? []),
              { error: r.error, errorDetail: { message: r.error } },
            ]);
          const ref = this.pulls.at(-1)!.ref;
          if (r.adds) this.images.set(ref, r.adds);
          onFinished(null, r.progress ?? []);
          // A gate that rejects stands for a pull stream that failed.
        },
        (err: Error) => onFinished(err, []),
      );
    },
  };
}

const REF = '127.0.0.1:5000/app:v1';
const CACHED = { Id: 'sha256:cached', RepoDigests: ['127.0.0.1:5000/app@sha256:old'] };
const FRESH = { Id: 'sha256:fresh', RepoDigests: ['127.0.0.1:5000/app@sha256:new'] };

function setup(opts: { local: boolean; pull: 'ok' | 'fail'; pulledBefore?: boolean }) {
  const docker = new FakeDocker();
  if (opts.local) docker.images.set(REF, CACHED);
  docker.pullResult = opts.pull === 'ok' ? { adds: FRESH } : { error: 'manifest unknown' };
  const once = new Set<string>(opts.pulledBefore ? [REF] : []);
  const marked: string[] = [];
  const puller = new ImagePuller(docker as unknown as Docker, once, (i) => marked.push(i));
  return { docker, puller, once, marked };
}

describe('ImagePuller.ensure: pull behaviours (semantics §7)', () => {
  type Want = {
    pulls: number;
    result?: { pulled: boolean; usedCache: boolean; imageDigest?: string };
    error?: RegExp;
  };
  test.each<[PullBehavior, { local: boolean; pull: 'ok' | 'fail'; pulledBefore?: boolean }, Want]>([
    // default: always try; fall back to the cache on failure
    [
      'default',
      { local: false, pull: 'ok' },
      { pulls: 1, result: { pulled: true, usedCache: false, imageDigest: 'sha256:new' } },
    ],
    [
      'default',
      { local: true, pull: 'ok' },
      { pulls: 1, result: { pulled: true, usedCache: false, imageDigest: 'sha256:new' } },
    ],
    [
      'default',
      { local: true, pull: 'fail' },
      { pulls: 1, result: { pulled: false, usedCache: true, imageDigest: 'sha256:old' } },
    ],
    [
      'default',
      { local: false, pull: 'fail' },
      { pulls: 1, error: /^CannotPullContainerError: manifest unknown$/ },
    ],
    // always: try; fail on failure
    [
      'always',
      { local: true, pull: 'ok' },
      { pulls: 1, result: { pulled: true, usedCache: false, imageDigest: 'sha256:new' } },
    ],
    [
      'always',
      { local: true, pull: 'fail' },
      { pulls: 1, error: /^CannotPullContainerError: manifest unknown$/ },
    ],
    // once: only the first time (per engine), or when the cached image is gone
    [
      'once',
      { local: false, pull: 'ok' },
      { pulls: 1, result: { pulled: true, usedCache: false, imageDigest: 'sha256:new' } },
    ],
    [
      'once',
      { local: true, pull: 'ok', pulledBefore: true },
      { pulls: 0, result: { pulled: false, usedCache: false, imageDigest: 'sha256:old' } },
    ],
    [
      'once',
      { local: true, pull: 'fail', pulledBefore: true },
      { pulls: 0, result: { pulled: false, usedCache: false } },
    ],
    [
      'once',
      { local: true, pull: 'ok', pulledBefore: false },
      { pulls: 1, result: { pulled: true, usedCache: false } },
    ],
    [
      'once',
      { local: false, pull: 'ok', pulledBefore: true },
      { pulls: 1, result: { pulled: true, usedCache: false } },
    ],
    [
      'once',
      { local: true, pull: 'fail', pulledBefore: false },
      { pulls: 1, error: /^CannotPullContainerError: / },
    ],
    // prefer-cached: only when absent
    [
      'prefer-cached',
      { local: true, pull: 'fail' },
      { pulls: 0, result: { pulled: false, usedCache: false, imageDigest: 'sha256:old' } },
    ],
    [
      'prefer-cached',
      { local: false, pull: 'ok' },
      { pulls: 1, result: { pulled: true, usedCache: false, imageDigest: 'sha256:new' } },
    ],
    ['prefer-cached', { local: false, pull: 'fail' }, { pulls: 1, error: /^CannotPullContainerError: / }],
  ])('%s, %j', async (behavior, situation, want) => {
    const { docker, puller } = setup(situation);
    const run = puller.ensure('127.0.0.1:5000/app:v1', behavior, () => {});
    if (want.error) await expect(run).rejects.toThrow(want.error);
    else await expect(run).resolves.toMatchObject(want.result!);
    expect(docker.pulls.length).toBe(want.pulls);
  });

  test('a successful pull is remembered for `once` and reported to the owner', async () => {
    const { puller, once, marked } = setup({ local: false, pull: 'ok' });
    await puller.ensure(REF, 'default', () => {});
    expect([...once]).toEqual([REF]);
    expect(marked).toEqual([REF]);
  });

  test('an image without a tag is pulled as :latest', async () => {
    const docker = new FakeDocker();
    docker.pullResult = { adds: FRESH };
    await new ImagePuller(docker as unknown as Docker, new Set()).ensure(
      '127.0.0.1:5000/app',
      'default',
      () => {},
    );
    expect(docker.pulls[0]?.ref).toBe('127.0.0.1:5000/app:latest');
  });

  test('registry credentials go to Docker as authconfig', async () => {
    const { docker, puller } = setup({ local: false, pull: 'ok' });
    const auth = {
      username: 'AWS',
      password: 'token',
      serveraddress: '000000000000.dkr.ecr.us-east-1.amazonaws.com',
    };
    await puller.ensure(REF, 'always', () => {}, auth);
    expect(docker.pulls[0]?.opts).toEqual({ authconfig: auth });
  });

  test('a pull request Docker refuses outright is a CannotPullContainerError too', async () => {
    const { docker, puller } = setup({ local: false, pull: 'ok' });
    docker.pullResult = {
      throws: '(HTTP code 500) server error - Get "https://registry/v2/": dial tcp: connection refused',
    };
    await expect(puller.ensure(REF, 'default', () => {})).rejects.toThrow(
      'CannotPullContainerError: Get "https://registry/v2/": dial tcp: connection refused',
    );
  });

  test('per-layer progress is forwarded with byte counts', async () => {
    const { docker, puller } = setup({ local: false, pull: 'ok' });
    docker.pullResult = {
      adds: FRESH,
      progress: [
        { status: 'Pulling from app', id: 'v1' },
        { status: 'Pulling fs layer', id: 'l1', progressDetail: {} },
        { status: 'Downloading', id: 'l1', progressDetail: { current: 10, total: 100 } },
        { status: 'Pull complete', id: 'l1', progressDetail: {} },
        { status: 'Status: Downloaded newer image' },
      ],
    };
    const lines: PullProgressLine[] = [];
    await puller.ensure(REF, 'default', (p) => lines.push(p));
    expect(lines).toEqual([
      { layer: 'v1', status: 'Pulling from app' },
      { layer: 'l1', status: 'Pulling fs layer' },
      { layer: 'l1', status: 'Downloading', current: 10, total: 100 },
      { layer: 'l1', status: 'Pull complete' },
      { layer: '', status: 'Status: Downloaded newer image' },
    ]);
  });

  test('a default pull that falls back tells the user why', async () => {
    const { puller } = setup({ local: true, pull: 'fail' });
    const lines: PullProgressLine[] = [];
    await puller.ensure(REF, 'default', (p) => lines.push(p));
    expect(lines.at(-1)).toEqual({ layer: '', status: 'pull failed, using cached image (manifest unknown)' });
  });

  test('concurrent ensures of one image share a single pull, and both see its progress', async () => {
    const { docker, puller } = setup({ local: false, pull: 'ok' });
    let open!: () => void;
    docker.gate = new Promise((r) => (open = r));
    docker.pullResult = { adds: FRESH, progress: [{ status: 'Pull complete', id: 'l1' }] };
    const a: PullProgressLine[] = [];
    const b: PullProgressLine[] = [];
    const both = Promise.all([
      puller.ensure(REF, 'default', (p) => a.push(p)),
      puller.ensure(REF, 'default', (p) => b.push(p)),
    ]);
    await new Promise((r) => setTimeout(r, 10));
    open();
    const [ra, rb] = await both;
    expect(docker.pulls.length).toBe(1);
    expect(ra.imageDigest).toBe('sha256:new');
    expect(rb.imageDigest).toBe('sha256:new');
    expect(a).toEqual([{ layer: 'l1', status: 'Pull complete' }]);
    expect(b).toEqual(a);
  });
});
