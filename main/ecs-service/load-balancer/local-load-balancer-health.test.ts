/**
 * Target health and draining on real HTTP servers (127.0.0.1, port 0): reasons and descriptions
 * as elbv2 reports them, per-target checks, and deregistration that lets in-flight requests finish.
 */
import { Agent } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadBalancerApi, TargetHealthChange } from '../load-balancer-api.js';
import {
  get,
  listenerUrl,
  startBackend,
  testGroup,
  TEST_TIME_SCALE,
  waitForState,
  waitUntil,
  type Backend,
} from './lb-test-support.js';
import type { LbTimers } from './lb-timers.js';
import { createLocalLoadBalancer } from './local-load-balancer.js';

let lb: LoadBalancerApi | undefined;
const backends: Backend[] = [];
const newLb = () => (lb = createLocalLoadBalancer({ healthCheckTimeScale: TEST_TIME_SCALE }));
const backend = async (name: string) => {
  const b = await startBackend(name);
  backends.push(b);
  return b;
};
const healthHits = (b: Backend) => b.hits.filter((h) => h === '/health').length;
const targetOf = (balancer: LoadBalancerApi, arn: string, taskId: string) =>
  balancer.describeTargetGroup(arn)!.targets.find((t) => t.taskId === taskId)!;

afterEach(async () => {
  await lb?.close();
  lb = undefined;
  await Promise.all(backends.splice(0).map((b) => b.close()));
});

describe('target health', () => {
  it('a target answering 500 goes unhealthy with ResponseCodeMismatch, every change emitted', async () => {
    const balancer = newLb();
    const group = testGroup('codes');
    await balancer.addTargetGroup(group);
    const events: TargetHealthChange[] = [];
    balancer.on('targetHealth', (c) => events.push(c));
    const b = await backend('b');
    b.handle = (_req, res) => {
      res.writeHead(500);
      res.end('boom');
    };
    balancer.registerTarget(group.targetGroupArn, b.ref());
    await waitForState(balancer, group.targetGroupArn, 'b', 'unhealthy');

    expect(events.map((e) => [e.previous, e.state, e.reason, e.description])).toEqual([
      [undefined, 'initial', 'Elb.RegistrationInProgress', 'Target registration is in progress'],
      ['initial', 'initial', 'Elb.InitialHealthChecking', 'Initial health checking in progress'],
      ['initial', 'unhealthy', 'Target.ResponseCodeMismatch', 'Health checks failed with these codes: [500]'],
    ]);
    expect(events[0]!.target).toEqual(b.ref());
    const t = targetOf(balancer, group.targetGroupArn, 'b');
    expect(t).toMatchObject({
      id: `127.0.0.1:${b.port}`,
      state: 'unhealthy',
      reason: 'Target.ResponseCodeMismatch',
      description: 'Health checks failed with these codes: [500]',
    });
    expect(t.history.map((h) => h.state)).toEqual(['initial', 'initial', 'unhealthy']);
    expect(t.checks.slice(0, 2).map((c) => [c.statusCode, c.ok])).toEqual([
      [500, false],
      [500, false],
    ]);
  });

  it('a target that never answers goes unhealthy with Target.Timeout', async () => {
    const balancer = newLb();
    const group = testGroup('slow-checks');
    await balancer.addTargetGroup(group);
    const b = await backend('b');
    b.handle = () => undefined; // never answers
    balancer.registerTarget(group.targetGroupArn, b.ref());
    await waitForState(balancer, group.targetGroupArn, 'b', 'unhealthy');
    const t = targetOf(balancer, group.targetGroupArn, 'b');
    expect([t.reason, t.description]).toEqual(['Target.Timeout', 'Request timed out']);
    expect(t.checks[0]).toMatchObject({ ok: false, error: 'timeout after 0.25 s' });
    expect(t.checks[0]!.statusCode).toBeUndefined();
  });

  it('a refused connection is Target.FailedHealthChecks', async () => {
    const balancer = newLb();
    const group = testGroup('refused');
    await balancer.addTargetGroup(group);
    const b = await backend('b');
    const ref = b.ref();
    await b.close();
    balancer.registerTarget(group.targetGroupArn, ref);
    await waitForState(balancer, group.targetGroupArn, 'b', 'unhealthy');
    const t = targetOf(balancer, group.targetGroupArn, 'b');
    expect([t.reason, t.description, t.checks[0]?.error]).toEqual([
      'Target.FailedHealthChecks',
      'Health checks failed',
      'ECONNREFUSED',
    ]);
  });

  it('a new target is healthy after ONE passing check, and promptly (not after an interval)', async () => {
    const balancer = newLb();
    // 300 s interval × 0.05 = 15 s: waiting an interval before the first check would time out below.
    const group = testGroup('prompt', { healthCheckIntervalSeconds: 300, healthyThresholdCount: 5 });
    await balancer.addTargetGroup(group);
    const b = await backend('b');
    balancer.registerTarget(group.targetGroupArn, b.ref());
    await waitForState(balancer, group.targetGroupArn, 'b', 'healthy', 5_000);
    expect(targetOf(balancer, group.targetGroupArn, 'b').checks.filter((c) => c.ok)).toHaveLength(1);
  });

  it('an unhealthy target is healthy again after HealthyThresholdCount passes', async () => {
    const balancer = newLb();
    const group = testGroup('recover', { healthyThresholdCount: 3 });
    await balancer.addTargetGroup(group);
    const b = await backend('b');
    let code = 500;
    b.handle = (_req, res) => {
      res.writeHead(code);
      res.end();
    };
    balancer.registerTarget(group.targetGroupArn, b.ref());
    await waitForState(balancer, group.targetGroupArn, 'b', 'unhealthy');
    code = 200;
    await waitForState(balancer, group.targetGroupArn, 'b', 'healthy');
    const t = targetOf(balancer, group.targetGroupArn, 'b');
    const passes = t.checks.slice(t.checks.findLastIndex((c) => !c.ok) + 1);
    expect(passes.length).toBeGreaterThanOrEqual(3);
    expect(t.history.map((h) => h.state)).toEqual(['initial', 'initial', 'unhealthy', 'healthy']);
  });

  it('pushes every health check (targetCheck), also those that change no state', async () => {
    const balancer = newLb();
    const group = testGroup('every-check');
    await balancer.addTargetGroup(group);
    const b = await backend('b');
    const seen: { taskId: string; ok: boolean; statusCode?: number }[] = [];
    const changes: TargetHealthChange[] = [];
    balancer.on('targetHealth', (c) => changes.push(c));
    let enough: () => void = () => undefined;
    const fourChecks = new Promise<void>((resolve) => (enough = resolve));
    balancer.on('targetCheck', (d) => {
      expect(d.targetGroupArn).toBe(group.targetGroupArn);
      seen.push({
        taskId: d.taskId,
        ok: d.check.ok,
        ...(d.check.statusCode ? { statusCode: d.check.statusCode } : {}),
      });
      if (seen.length === 4) enough();
    });
    balancer.registerTarget(group.targetGroupArn, b.ref());
    await fourChecks;
    expect(seen.slice(0, 4)).toEqual(Array(4).fill({ taskId: 'b', ok: true, statusCode: 200 }));
    // Healthy after the first: the next three checks changed nothing, and were pushed all the same.
    expect(changes.filter((c) => c.state === 'healthy')).toHaveLength(1);
    expect(targetOf(balancer, group.targetGroupArn, 'b').checks.length).toBeGreaterThanOrEqual(4);
  });

  it('registering a target twice is a no-op; deregistering an unknown one succeeds', async () => {
    const balancer = newLb();
    const group = testGroup('idem');
    await balancer.addTargetGroup(group);
    const b = await backend('b');
    balancer.registerTarget(group.targetGroupArn, b.ref());
    balancer.registerTarget(group.targetGroupArn, b.ref());
    expect(balancer.describeTargetGroup(group.targetGroupArn)!.targets).toHaveLength(1);
    await expect(balancer.deregisterTarget(group.targetGroupArn, 'nobody')).resolves.toBeUndefined();
    expect(() => balancer.registerTarget('arn:nope', b.ref())).toThrow(/No target group arn:nope/);
  });
});

describe('deregistration with draining', () => {
  it('drains: the in-flight request completes, new requests (keep-alive too) go elsewhere, then unused after the full delay', async () => {
    const balancer = newLb();
    const group = testGroup('drain', { deregistrationDelaySeconds: 2 });
    await balancer.addTargetGroup(group);
    const arn = group.targetGroupArn;
    const [a, b] = [await backend('a'), await backend('b')];
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    a.handle = (req, res) => {
      if (req.url !== '/slow') return void res.end('a');
      // Answers at least 1 s later, and only after the test has checked the draining state.
      const slowStart = Date.now();
      released
        .then(() =>
          setTimeout(() => res.end('a finished slowly'), Math.max(0, 1000 - (Date.now() - slowStart))),
        )
        .catch(() => undefined);
    };
    balancer.registerTarget(arn, a.ref());
    await waitForState(balancer, arn, 'a', 'healthy');
    const slow = get(listenerUrl(balancer, arn, '/slow'));
    await waitUntil(() => a.hits.includes('/slow'), 'the slow request to reach a');
    balancer.registerTarget(arn, b.ref());
    await waitForState(balancer, arn, 'b', 'healthy');
    const client = new Agent({ keepAlive: true, maxSockets: 1 });
    await get(listenerUrl(balancer, arn, '/warm'), client); // opens the keep-alive socket to the listener

    const started = Date.now();
    let deregistered = false;
    const done = balancer.deregisterTarget(arn, 'a').then(() => (deregistered = true));
    const draining = targetOf(balancer, arn, 'a');
    expect(draining).toMatchObject({
      state: 'draining',
      reason: 'Target.DeregistrationInProgress',
      inFlightRequests: 1,
    });
    expect(Date.parse(draining.drainingUntil!) - started).toBeGreaterThanOrEqual(1900);
    const checksAtDrain = healthHits(a);
    const aHitsAtDrain = a.hits.length;

    for (let i = 0; i < 4; i++) {
      expect(await get(listenerUrl(balancer, arn, `/after/${i}`), client)).toEqual({
        status: 200,
        body: 'b',
      });
    }
    expect(a.hits.length).toBe(aHitsAtDrain);
    release();
    expect(await slow).toEqual({ status: 200, body: 'a finished slowly' });
    expect(deregistered).toBe(false); // ELB waits the full delay, not just for the last request
    expect(targetOf(balancer, arn, 'a').inFlightRequests).toBe(0);

    await done;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    const gone = targetOf(balancer, arn, 'a');
    expect([gone.state, gone.reason]).toEqual(['unused', 'Target.NotRegistered']);
    expect(gone.history.map((h) => h.state)).toEqual(['initial', 'initial', 'healthy', 'draining', 'unused']);
    expect(healthHits(a)).toBe(checksAtDrain); // no checks while draining or after
    expect(await balancer.deregisterTarget(arn, 'a')).toBeUndefined();
    client.destroy();
  });

  it('deregistering the last target leaves 503s, and a second deregister shares the first one', async () => {
    const balancer = newLb();
    const group = testGroup('last', { deregistrationDelaySeconds: 1 });
    await balancer.addTargetGroup(group);
    const a = await backend('a');
    balancer.registerTarget(group.targetGroupArn, a.ref());
    await waitForState(balancer, group.targetGroupArn, 'a', 'healthy');
    const first = balancer.deregisterTarget(group.targetGroupArn, 'a');
    const second = balancer.deregisterTarget(group.targetGroupArn, 'a');
    expect(await get(listenerUrl(balancer, group.targetGroupArn))).toEqual({
      status: 503,
      body: '503 Service Temporarily Unavailable: target group last has only draining targets\n',
    });
    await Promise.all([first, second]);
    expect(targetOf(balancer, group.targetGroupArn, 'a').state).toBe('unused');
  });

  it('waits the default 300 s delay on the injected clock and timers', async () => {
    // 1000× faster timers and a clock that runs as fast: 300 s pass in 0.3 s of real time.
    const t0 = Date.now();
    const fast: LbTimers = {
      now: () => t0 + (Date.now() - t0) * 1000,
      setTimeout: (fn, ms) => setTimeout(fn, ms / 1000),
      clearTimeout: (h) => clearTimeout(h),
    };
    const balancer = (lb = createLocalLoadBalancer({ timers: fast }));
    const group = testGroup('default-delay', { deregistrationDelaySeconds: 300 });
    await balancer.addTargetGroup(group);
    const a = await backend('a');
    balancer.registerTarget(group.targetGroupArn, a.ref());
    await waitForState(balancer, group.targetGroupArn, 'a', 'healthy');
    const done = balancer.deregisterTarget(group.targetGroupArn, 'a');
    const t = targetOf(balancer, group.targetGroupArn, 'a');
    const left = Date.parse(t.drainingUntil!) - fast.now(); // a real ms is 1 s on this clock
    expect(left).toBeGreaterThan(250_000);
    expect(left).toBeLessThanOrEqual(300_000);
    await done;
    expect(targetOf(balancer, group.targetGroupArn, 'a').state).toBe('unused');
  });
});

describe('events', () => {
  it('reports the registration after the target is in the group', async () => {
    const balancer = newLb();
    const group = testGroup('visible');
    await balancer.addTargetGroup(group);
    const a = await backend('a');
    const seen: (string | undefined)[] = [];
    balancer.on('targetHealth', (c) =>
      seen.push(targetOf(balancer, c.targetGroupArn, c.target.taskId)?.state),
    );
    balancer.registerTarget(group.targetGroupArn, a.ref());
    expect(seen).toEqual(['initial']);
  });
});
