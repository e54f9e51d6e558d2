/**
 * Test support for the load-balancer tests: real HTTP backends on 127.0.0.1 (port 0), a tiny
 * HTTP client, and event-driven waits on target health. No mocks.
 */
import {
  createServer,
  request,
  type Agent,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TargetHealthState } from '../../../contract/service-dto.js';
import type { LoadBalancerApi, TargetRef } from '../load-balancer-api.js';
import type { TargetGroupSpec } from '../target-group-spec.js';

/** A real HTTP server; `handle` may be swapped at any time. */
export interface Backend {
  readonly name: string;
  readonly port: number;
  readonly server: Server;
  /** Paths requested, in order. */
  readonly hits: string[];
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  ref(taskId?: string): TargetRef;
  close(): Promise<void>;
}

/** Answers 200 with the backend's name. */
export const answerName = (name: string) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(name);
};

/** Starts a backend answering 200 `<name>` on every path unless `handle` is replaced. */
export async function startBackend(name: string): Promise<Backend> {
  const hits: string[] = [];
  const backend: Backend = {
    name,
    port: 0,
    hits,
    server: createServer((req, res) => {
      hits.push(req.url ?? '');
      backend.handle(req, res);
    }),
    handle: answerName(name),
    ref: (taskId = name) => ({ taskId, containerName: 'web', host: '127.0.0.1', port: backend.port }),
    close: () =>
      new Promise<void>((resolve) => {
        backend.server.closeAllConnections();
        backend.server.close(() => resolve());
      }),
  };
  // Idle keep-alive sockets stay open until a client closes them, so tests see the LB's own cleanup.
  backend.server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => backend.server.listen(0, '127.0.0.1', resolve));
  (backend as { port: number }).port = (backend.server.address() as AddressInfo).port;
  return backend;
}

/** GET `url`; resolves with status and body. */
export function get(url: string, agent?: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A target group with fast checks (scale 0.05: 10 s interval → 0.5 s, 5 s timeout → 0.25 s). */
export function testGroup(name: string, patch: Partial<TargetGroupSpec> = {}): TargetGroupSpec {
  return {
    targetGroupArn: `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/0123456789abcdef`,
    name,
    protocol: 'HTTP',
    port: 0,
    targetType: 'ip',
    healthCheckPath: '/health',
    healthCheckIntervalSeconds: 10,
    healthCheckTimeoutSeconds: 5,
    healthyThresholdCount: 2,
    unhealthyThresholdCount: 2,
    matcher: '200',
    deregistrationDelaySeconds: 1,
    ...patch,
  };
}
export const TEST_TIME_SCALE = 0.05;

/** Resolves when the target of `taskId` is in `state` (checks the current view, then waits for events). */
export function waitForState(
  lb: LoadBalancerApi,
  arn: string,
  taskId: string,
  state: TargetHealthState,
  timeoutMs = 20_000,
): Promise<void> {
  const current = () => lb.describeTargetGroup(arn)?.targets.find((t) => t.taskId === taskId)?.state;
  if (current() === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`${taskId} not ${state} after ${timeoutMs} ms (is ${current() ?? 'absent'})`));
    }, timeoutMs);
    const off = lb.on('targetHealth', (c) => {
      if (c.targetGroupArn === arn && c.target.taskId === taskId && c.state === state) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
}

/** The listener URL of a group. */
export function listenerUrl(lb: LoadBalancerApi, arn: string, path = '/'): string {
  const address = lb.describeTargetGroup(arn)?.listenerAddress;
  if (!address) throw new Error(`group ${arn} is not listening`);
  return `http://${address}${path}`;
}

/** Whether nothing listens on 127.0.0.1:`port` (a server can bind it). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Polls `condition` every 20 ms until it holds (rejects after `timeoutMs`). */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Open connections of a backend server. */
export const openConnections = (b: Backend): Promise<number> =>
  new Promise((resolve, reject) => b.server.getConnections((e, n) => (e ? reject(e) : resolve(n))));
