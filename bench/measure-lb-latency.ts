/**
 * Request latency through the local load balancer vs straight to the same local HTTP server, in
 * one run: N sequential GETs each way, interleaved (direct, via LB, direct, …) so load drift hits
 * both alike, each on its own keep-alive client connection. Runs standalone too:
 * `node --import tsx bench/measure-lb-latency.ts [N]`.
 */
import { createServer, request, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createLocalLoadBalancer } from '../main/ecs-service/load-balancer/local-load-balancer.js';
import type { TargetGroupSpec } from '../main/ecs-service/target-group-spec.js';
import { median, percentile, round } from './stats.js';

/** Median and p95 of one path, in ms. */
export interface LatencySummary {
  readonly median: number;
  readonly p95: number;
}

/** What measureLbLatency returns. */
export interface LbLatencyResult {
  readonly requests: number;
  readonly directMs: readonly number[];
  readonly viaLbMs: readonly number[];
  readonly direct: LatencySummary;
  readonly viaLb: LatencySummary;
  /** viaLb median / direct median. */
  readonly ratio: number;
}

const BODY = 'x'.repeat(512);

function timedGet(url: string, agent: Agent): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(performance.now() - started)
          : reject(new Error(`${url}: ${res.statusCode}`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const summary = (xs: readonly number[]): LatencySummary => ({
  median: round(median(xs), 3),
  p95: round(percentile(xs, 95), 3),
});

/** Measures `requests` sequential GETs direct and through the local load balancer (after a warm-up). */
export async function measureLbLatency(requests = 500, warmup = 50): Promise<LbLatencyResult> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const lb = createLocalLoadBalancer();
  const spec: TargetGroupSpec = {
    targetGroupArn:
      'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/bench-lb/0000000000000000',
    name: 'bench-lb',
    protocol: 'HTTP',
    port: 0,
    targetType: 'ip',
    healthCheckPath: '/',
    healthCheckIntervalSeconds: 30,
    healthCheckTimeoutSeconds: 5,
    healthyThresholdCount: 5,
    unhealthyThresholdCount: 2,
    matcher: '200',
    deregistrationDelaySeconds: 0,
  };
  const direct = new Agent({ keepAlive: true, maxSockets: 1 });
  const viaLb = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    await lb.addTargetGroup(spec, { port: 0 });
    const healthy = new Promise<void>((resolve) => {
      const off = lb.on('targetHealth', (c) => {
        if (c.state === 'healthy') {
          off();
          resolve();
        }
      });
    });
    lb.registerTarget(spec.targetGroupArn, {
      taskId: 'bench',
      containerName: 'web',
      host: '127.0.0.1',
      port,
    });
    await healthy;
    const directUrl = `http://127.0.0.1:${port}/`;
    const lbUrl = `http://${lb.describeTargetGroup(spec.targetGroupArn)!.listenerAddress!}/`;
    for (let i = 0; i < warmup; i++) {
      await timedGet(directUrl, direct);
      await timedGet(lbUrl, viaLb);
    }
    const directMs: number[] = [];
    const viaLbMs: number[] = [];
    for (let i = 0; i < requests; i++) {
      directMs.push(await timedGet(directUrl, direct));
      viaLbMs.push(await timedGet(lbUrl, viaLb));
    }
    const d = summary(directMs);
    const l = summary(viaLbMs);
    return {
      requests,
      directMs,
      viaLbMs,
      direct: d,
      viaLb: l,
      ratio: round(median(viaLbMs) / median(directMs), 2),
    };
  } finally {
    direct.destroy();
    viaLb.destroy();
    await lb.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** One line per path, for the standalone runner. */
export function formatLbLatency(r: LbLatencyResult): string {
  return [
    `local load balancer latency, ${r.requests} sequential requests each (keep-alive clients):`,
    `  direct:  median ${r.direct.median} ms, p95 ${r.direct.p95} ms`,
    `  via LB:  median ${r.viaLb.median} ms, p95 ${r.viaLb.p95} ms`,
    `  ratio (median via LB / direct): ${r.ratio}×`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const n = Number(process.argv[2]);
  const result = await measureLbLatency(Number.isInteger(n) && n > 0 ? n : 500);
  console.log(formatLbLatency(result));
}
