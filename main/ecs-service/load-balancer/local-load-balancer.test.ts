/**
 * The local load balancer's routing on real HTTP servers (127.0.0.1, port 0): round robin,
 * fail-open, 503/502, EADDRINUSE, and a clean close.
 */
import { Agent, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoadBalancerApi } from '../load-balancer-api.js';
import {
  get,
  listenerUrl,
  openConnections,
  portIsFree,
  startBackend,
  testGroup,
  TEST_TIME_SCALE,
  waitForState,
  waitUntil,
  type Backend,
} from './lb-test-support.js';
import { createLocalLoadBalancer } from './local-load-balancer.js';

let lb: LoadBalancerApi | undefined;
const backends: Backend[] = [];
const servers: Server[] = [];
const newLb = () => (lb = createLocalLoadBalancer({ healthCheckTimeScale: TEST_TIME_SCALE }));
const backend = async (name: string) => {
  const b = await startBackend(name);
  backends.push(b);
  return b;
};

afterEach(async () => {
  await lb?.close();
  lb = undefined;
  await Promise.all(backends.splice(0).map((b) => b.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('local load balancer routing', () => {
  it('routes round robin across two healthy targets', async () => {
    const balancer = newLb();
    const group = testGroup('rr');
    await balancer.addTargetGroup(group);
    const [a, b] = [await backend('a'), await backend('b')];
    balancer.registerTarget(group.targetGroupArn, a.ref());
    balancer.registerTarget(group.targetGroupArn, b.ref());
    await waitForState(balancer, group.targetGroupArn, 'a', 'healthy');
    await waitForState(balancer, group.targetGroupArn, 'b', 'healthy');

    const bodies: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await get(listenerUrl(balancer, group.targetGroupArn, `/item/${i}`));
      expect(r.status).toBe(200);
      bodies.push(r.body);
    }
    expect(bodies.filter((x) => x === 'a')).toHaveLength(3);
    expect(bodies.filter((x) => x === 'b')).toHaveLength(3);
    for (let i = 1; i < bodies.length; i++) expect(bodies[i]).not.toBe(bodies[i - 1]);
    expect(a.hits.filter((h) => h.startsWith('/item/'))).toHaveLength(3);
    const view = balancer.describeTargetGroup(group.targetGroupArn)!;
    expect(view.targets.map((t) => [t.taskId, t.state, t.inFlightRequests])).toEqual([
      ['a', 'healthy', 0],
      ['b', 'healthy', 0],
    ]);
  });

  it('sends requests only to the healthy target while another is unhealthy', async () => {
    const balancer = newLb();
    const group = testGroup('only-healthy');
    await balancer.addTargetGroup(group);
    const [good, bad] = [await backend('good'), await backend('bad')];
    bad.handle = (req, res) => {
      res.writeHead(req.url === '/health' ? 500 : 200);
      res.end('bad');
    };
    balancer.registerTarget(group.targetGroupArn, good.ref());
    balancer.registerTarget(group.targetGroupArn, bad.ref());
    await waitForState(balancer, group.targetGroupArn, 'good', 'healthy');
    await waitForState(balancer, group.targetGroupArn, 'bad', 'unhealthy');
    for (let i = 0; i < 4; i++)
      expect((await get(listenerUrl(balancer, group.targetGroupArn))).body).toBe('good');
  });

  it('fails open like ALB: with no healthy target, requests go to the unhealthy ones', async () => {
    const balancer = newLb();
    const group = testGroup('fail-open');
    await balancer.addTargetGroup(group);
    const sick = await backend('sick');
    sick.handle = (req, res) => {
      res.writeHead(req.url === '/health' ? 500 : 200);
      res.end('served anyway');
    };
    balancer.registerTarget(group.targetGroupArn, sick.ref());
    await waitForState(balancer, group.targetGroupArn, 'sick', 'unhealthy');
    const r = await get(listenerUrl(balancer, group.targetGroupArn, '/page'));
    expect(r).toEqual({ status: 200, body: 'served anyway' });
  });

  it('answers 503 when the group has no registered targets', async () => {
    const balancer = newLb();
    const group = testGroup('empty');
    await balancer.addTargetGroup(group);
    const r = await get(listenerUrl(balancer, group.targetGroupArn));
    expect(r.status).toBe(503);
    expect(r.body).toMatch(/target group empty has no registered targets/);
  });

  it('answers 502 when the target refuses the connection', async () => {
    const balancer = newLb();
    const group = testGroup('gone');
    await balancer.addTargetGroup(group);
    const dead = await backend('dead');
    const ref = dead.ref();
    await dead.close();
    balancer.registerTarget(group.targetGroupArn, ref);
    const r = await get(listenerUrl(balancer, group.targetGroupArn)); // fail-open: initial target
    expect(r.status).toBe(502);
    expect(r.body).toMatch(new RegExp(`502 Bad Gateway: target 127.0.0.1:${ref.port} \\(task dead\\)`));
  });

  it('names the port and the group when the port is taken (EADDRINUSE)', async () => {
    const taken = createServer();
    servers.push(taken);
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
    const port = (taken.address() as AddressInfo).port;
    const balancer = newLb();
    const group = testGroup('clash', { port });
    await expect(balancer.addTargetGroup(group)).rejects.toThrow(
      `Cannot start the listener of target group clash on 127.0.0.1:${port}: the port is already in use (EADDRINUSE)`,
    );
    expect(balancer.describeTargetGroup(group.targetGroupArn)).toBeUndefined();
    // --listen moves it elsewhere
    await balancer.addTargetGroup(group, { port: 0 });
    expect(listenerUrl(balancer, group.targetGroupArn)).not.toContain(`:${port}/`);
  });

  it('close() frees the listener port and leaves no sockets to the targets', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const balancer = newLb();
    const group = testGroup('closing', { port });
    await balancer.addTargetGroup(group);
    const a = await backend('a');
    balancer.registerTarget(group.targetGroupArn, a.ref());
    await waitForState(balancer, group.targetGroupArn, 'a', 'healthy');
    expect((await get(`http://127.0.0.1:${port}/`)).body).toBe('a'); // leaves a keep-alive upstream socket
    expect(await portIsFree(port)).toBe(false);

    await balancer.close();
    expect(await portIsFree(port)).toBe(true);
    await waitUntil(async () => (await openConnections(a)) === 0, 'the upstream keep-alive socket to close');
    const checks = a.hits.filter((h) => h === '/health').length;
    await new Promise((r) => setTimeout(r, 1200)); // > 2 intervals: no check may follow close()
    expect(a.hits.filter((h) => h === '/health').length).toBe(checks);
  });

  it('removeTargetGroup lets in-flight requests finish within graceMs, then frees the port', async () => {
    const balancer = newLb();
    const group = testGroup('grace');
    await balancer.addTargetGroup(group);
    const a = await backend('a');
    a.handle = (req, res) => {
      if (req.url === '/slow') setTimeout(() => res.end('done'), 300);
      else res.end('ok');
    };
    balancer.registerTarget(group.targetGroupArn, a.ref());
    await waitForState(balancer, group.targetGroupArn, 'a', 'healthy');
    const url = listenerUrl(balancer, group.targetGroupArn, '/slow');
    const port = Number(new URL(url).port);
    const client = new Agent({ keepAlive: true });
    const slow = get(url, client); // a keep-alive connection must not hold the listener open
    await waitUntil(() => a.hits.includes('/slow'), 'the slow request to reach a');
    await balancer.removeTargetGroup(group.targetGroupArn, 100_000);
    expect(await slow).toEqual({ status: 200, body: 'done' });
    client.destroy();
    expect(balancer.describeTargetGroup(group.targetGroupArn)).toBeUndefined();
    expect(await portIsFree(port)).toBe(true);
  });
});
