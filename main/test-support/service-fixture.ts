/**
 * Integration-test support for services: a real engine on real Docker, the real local load
 * balancer (health checks sped up by a test-only time scale), a service manager on the same data
 * dir, BusyBox httpd task definitions, waits on what the manager pushes, and a client load loop.
 */
import { request } from 'node:http';
import { createServer } from 'node:net';
import type { ServiceView } from '../../contract/service-dto.js';
import { container, startEngine, taskDef, type EngineHarness } from './engine-fixture.js';
import type { TaskDefinition } from '../task-definition/model.js';
import { createLocalLoadBalancer } from '../ecs-service/load-balancer/local-load-balancer.js';
import type { LoadBalancerApi } from '../ecs-service/load-balancer-api.js';
import { createServiceManager } from '../ecs-service/service-manager.js';
import type { ServiceManagerApi } from '../ecs-service/service-manager-api.js';
import type { ServiceSpec } from '../ecs-service/service-spec.js';
import type { TargetGroupSpec } from '../ecs-service/target-group-spec.js';

/** Everything a service integration test needs; `restart()` closes and recreates all three on the same data dir. */
export interface ServiceHarness {
  engineHarness: EngineHarness;
  loadBalancer: LoadBalancerApi;
  manager: ServiceManagerApi;
  readonly messages: string[];
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts engine, load balancer and manager. */
export async function startServiceHarness(): Promise<ServiceHarness> {
  const engineHarness = await startEngine();
  const messages: string[] = [];
  const make = async () => {
    const loadBalancer = createLocalLoadBalancer({ healthCheckTimeScale: 0.1 });
    const manager = await createServiceManager({
      engine: engineHarness.engine,
      loadBalancer,
      dataDir: engineHarness.dataDir,
      region: 'us-east-1',
      account: '000000000000',
      throttleBaseMs: 200,
    });
    manager.on('serviceEvent', (_s, m) => messages.push(m));
    return { loadBalancer, manager };
  };
  const first = await make();
  const h: ServiceHarness = {
    engineHarness,
    ...first,
    messages,
    async restart() {
      await h.manager.close();
      await h.loadBalancer.close();
      await engineHarness.restart();
      Object.assign(h, await make());
    },
    async close() {
      for (const s of h.manager.listServices())
        await h.manager.deleteService(s.serviceName).catch(() => undefined);
      await h.manager.close();
      await h.loadBalancer.close();
      await engineHarness.close();
    },
  };
  return h;
}

/**
 * BusyBox httpd on port 80 serving `/health` (when `healthy`), `/` and `/cgi-bin/slow` (answers
 * after `slowSeconds`; CRLF header lines, which Node's HTTP parser requires). A shell stays PID 1
 * so SIGTERM ends it at once.
 */
export function httpdDef(
  family: string,
  revision: number,
  opts: { healthy?: boolean; slowSeconds?: number; awsvpc?: boolean } = {},
): TaskDefinition {
  const lines = [
    'mkdir -p /www/cgi-bin',
    `echo rev${revision} > /www/index.html`,
    opts.healthy === false ? 'true' : 'echo ok > /www/health',
    `printf '#!/bin/sh\\nsleep ${opts.slowSeconds ?? 2}\\nprintf "Content-Type: text/plain\\\\r\\\\n\\\\r\\\\nslow\\\\n"\\n' > /www/cgi-bin/slow`,
    'chmod +x /www/cgi-bin/slow',
    'httpd -p 80 -h /www',
    'trap "exit 0" TERM',
    'while true; do sleep 0.2; done',
  ];
  return taskDef(
    family,
    [
      container('web', {
        command: ['sh', '-c', lines.join('\n')],
        portMappings: [{ containerPort: 80, hostPort: opts.awsvpc ? 80 : 0, protocol: 'tcp' }],
        stopTimeout: 2,
      }),
    ],
    { revision, ...(opts.awsvpc ? { networkMode: 'awsvpc' as const } : {}) },
  );
}

/** A target group for the tests (ELB defaults except the small delays tests need). */
export function testTargetGroup(
  name: string,
  port: number,
  over: Partial<TargetGroupSpec> = {},
): TargetGroupSpec {
  return {
    targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${name}/0123456789abcdef`,
    name,
    protocol: 'HTTP',
    port,
    targetType: 'instance',
    healthCheckPath: '/health',
    healthCheckIntervalSeconds: 5,
    healthCheckTimeoutSeconds: 2,
    healthyThresholdCount: 2,
    unhealthyThresholdCount: 2,
    matcher: '200',
    deregistrationDelaySeconds: 1,
    ...over,
  };
}

/** A service spec for `def` behind `tg`. */
export function serviceSpec(
  name: string,
  def: TaskDefinition,
  tg: TargetGroupSpec,
  over: Partial<ServiceSpec> = {},
): ServiceSpec {
  return {
    serviceName: name,
    taskDefinitionRef: `${def.family}:${def.revision}`,
    taskDefinition: def,
    desiredCount: 2,
    loadBalancers: [{ targetGroupArn: tg.targetGroupArn, containerName: 'web', containerPort: 80 }],
    healthCheckGracePeriodSeconds: 0,
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    circuitBreaker: { enable: false, rollback: false },
    enableExecuteCommand: false,
    ...over,
  };
}

/** Resolves with the service once `pred` holds (checked now and on every `changed`). */
export function waitForService(
  h: ServiceHarness,
  name: string,
  pred: (v: ServiceView) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<ServiceView> {
  const now = h.manager.describeService(name);
  if (now && pred(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      const v = h.manager.describeService(name);
      reject(
        new Error(
          `timed out waiting for ${what}: ${JSON.stringify({ deployments: v?.deployments, events: v?.events.slice(0, 8) })}`,
        ),
      );
    }, timeoutMs);
    const off = h.manager.on('changed', (v) => {
      if (v.serviceName !== name || !pred(v)) return;
      clearTimeout(timer);
      off();
      resolve(v);
    });
  });
}

/** Steady: one COMPLETED deployment, desired tasks RUNNING, all targets healthy. */
export const isSteady = (v: ServiceView): boolean =>
  v.deployments.length === 1 &&
  v.deployments[0]?.rolloutState === 'COMPLETED' &&
  v.runningCount === v.desiredCount &&
  v.tasks.filter((t) => t.lastStatus !== 'STOPPED').length === v.desiredCount;

/** One GET through the listener: status code (0 on a connection error) and body. */
export function get(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', () => resolve({ status: 0, body }));
    });
    req.on('error', (e) => resolve({ status: 0, body: e.message }));
    req.end();
  });
}

/** Sends requests one after another until `stop()`; counts statuses (bounded: at most `max`). */
export function loadLoop(port: number, max = 20_000) {
  const statuses = new Map<number, number>();
  const bodies = new Set<string>();
  let running = true;
  let sent = 0;
  const done = (async () => {
    while (running && sent < max) {
      sent++;
      const r = await get(port);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      bodies.add(r.body.trim());
      await new Promise((res) => setTimeout(res, 10));
    }
  })();
  return {
    statuses,
    bodies,
    async stop() {
      running = false;
      await done;
      return {
        sent,
        non2xx: [...statuses].filter(([s]) => s < 200 || s > 299).reduce((n, [, c]) => n + c, 0),
      };
    },
  };
}
