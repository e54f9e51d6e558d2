/**
 * The local load balancer (issue 13): one HTTP listener per target group, proxying with
 * http-proxy-3 (no hand-written proxying) round robin to the group's routable targets
 * (pick-target.ts: healthy ones, ALB's fail-open otherwise), each target health-checked on its own
 * timer (target-runtime.ts). Responses it makes itself are ALB's: 503 when no target can take the
 * request, 502 when the target fails (connection refused/reset before a response).
 *
 * Deregistration follows ELB: the target is `draining` at once and routing skips it (routing is per
 * request, so a client's reused keep-alive connection to the listener never reaches it again);
 * in-flight requests continue on their upstream connections; after the full
 * `deregistration_delay` it is `unused` and removed. ELB may complete the deregistration early when
 * nothing is in flight, but it still *shows* the target as draining until the delay expires, and
 * ECS stops the task only when the target leaves draining, so the promise resolves after the full
 * delay (as the interface documents).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyServer, type ProxyServer } from 'http-proxy-3';
import type { TargetGroupView, TargetView } from '../../../contract/service-dto.js';
import type {
  LoadBalancerApi,
  LoadBalancerEvents,
  TargetCheckDone,
  TargetHealthChange,
  TargetRef,
} from '../load-balancer-api.js';
import type { TargetGroupSpec } from '../target-group-spec.js';
import { parseHttpCodeMatcher, type HttpCodeMatcher } from './http-code-matcher.js';
import { realTimers, type LbTimers, type TimerHandle } from './lb-timers.js';
import { pickTarget } from './pick-target.js';
import { TargetRuntime } from './target-runtime.js';

/** Options of the local load balancer. */
export interface LocalLoadBalancerOptions {
  /** Clock and timers (default: Node's). */
  readonly timers?: LbTimers;
  /**
   * Multiplies every group's health-check interval and timeout (default 1). Tests use e.g. 0.05 so
   * a 10 s interval takes 0.5 s; the deregistration delay is never scaled.
   */
  readonly healthCheckTimeScale?: number;
  /** Deregistered (`unused`) targets still shown per group, newest kept (default 20). */
  readonly keepRemovedTargets?: number;
}

interface Drain {
  readonly promise: Promise<void>;
  readonly finish: () => void;
  readonly timer: TimerHandle;
}

interface GroupRuntime {
  readonly spec: TargetGroupSpec;
  readonly matcher: HttpCodeMatcher;
  readonly server: Server;
  readonly proxy: ProxyServer;
  readonly targets: Map<string, TargetRuntime>;
  readonly drains: Map<string, Drain>;
  removed: TargetView[];
  listenerAddress: string | undefined;
  /** removeTargetGroup is waiting for in-flight requests. */
  closing: boolean;
  cursor: number;
}

const KEEP_ALIVE = { connection: 'keep-alive' } as const;
/** ALB's default connection idle timeout (60 s) for client keep-alive connections. */
const IDLE_TIMEOUT_MS = 60_000;

const plain = (res: ServerResponse, status: number, body: string) => {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
};

/** Creates a local load balancer implementing LoadBalancerApi. */
export function createLocalLoadBalancer(options: LocalLoadBalancerOptions = {}): LoadBalancerApi {
  const timers = options.timers ?? realTimers;
  const scale = options.healthCheckTimeScale ?? 1;
  const keepRemoved = options.keepRemovedTargets ?? 20;
  const groups = new Map<string, GroupRuntime>();
  const listeners = new Set<LoadBalancerEvents['targetHealth']>();
  const checkListeners = new Set<LoadBalancerEvents['targetCheck']>();
  const notify = <T>(set: ReadonlySet<(arg: T) => void>, arg: T) => {
    for (const l of [...set]) {
      try {
        l(arg);
      } catch {
        // A listener's failure must not stop health checking or routing.
      }
    }
  };
  const emit = (change: TargetHealthChange) => notify(listeners, change);
  const emitCheck = (done: TargetCheckDone) => notify(checkListeners, done);

  const route = (g: GroupRuntime, req: IncomingMessage, res: ServerResponse) => {
    const picked = pickTarget([...g.targets.values()], g.cursor);
    if (!picked) {
      const why = g.targets.size === 0 ? 'has no registered targets' : 'has only draining targets';
      plain(res, 503, `503 Service Temporarily Unavailable: target group ${g.spec.name} ${why}\n`);
      return;
    }
    g.cursor = picked.cursor;
    const t = picked.target;
    const end = t.beginRequest();
    res.once('close', () => {
      end();
      // While closing, a keep-alive client connection is let go as soon as its request is done.
      if (g.closing) setImmediate(() => g.server.closeIdleConnections());
    });
    // The upstream connection is the load balancer's, not the client's: reuse it whatever the
    // client's Connection header says (ALB pools its target connections the same way).
    const upstream = { target: { host: t.ref.host, port: t.ref.port }, agent: t.agent, headers: KEEP_ALIVE };
    g.proxy.web(req, res, upstream, () => {
      plain(res, 502, `502 Bad Gateway: target ${t.ref.host}:${t.ref.port} (task ${t.ref.taskId}) failed\n`);
    });
  };

  const finishDrain = (g: GroupRuntime, taskId: string) => {
    const drain = g.drains.get(taskId);
    if (drain) {
      timers.clearTimeout(drain.timer);
      g.drains.delete(taskId);
    }
    const t = g.targets.get(taskId);
    if (t) {
      t.remove();
      g.targets.delete(taskId);
      g.removed = [...g.removed, t.view()].slice(-keepRemoved);
    }
    drain?.finish();
  };

  const api: LoadBalancerApi = {
    async addTargetGroup(spec, listen) {
      if (groups.has(spec.targetGroupArn)) {
        throw new Error(`Target group ${spec.name} already has a listener (${spec.targetGroupArn})`);
      }
      const parsed = parseHttpCodeMatcher(spec.matcher);
      if (!parsed.ok) throw new Error(`Target group ${spec.name}: Matcher.HttpCode: ${parsed.message}`);
      const host = listen?.host ?? '127.0.0.1';
      const port = listen?.port ?? spec.port;
      const proxy = createProxyServer({ xfwd: true });
      const server = createServer();
      server.keepAliveTimeout = IDLE_TIMEOUT_MS;
      const g: GroupRuntime = {
        spec,
        matcher: parsed.matcher,
        server,
        proxy,
        targets: new Map(),
        drains: new Map(),
        removed: [],
        listenerAddress: undefined,
        cursor: -1,
        closing: false,
      };
      server.on('request', (req, res) => route(g, req, res));
      groups.set(spec.targetGroupArn, g);
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, host, () => {
            server.off('error', reject);
            resolve();
          });
        });
      } catch (err) {
        groups.delete(spec.targetGroupArn);
        const code = (err as NodeJS.ErrnoException).code;
        const why =
          code === 'EADDRINUSE'
            ? 'the port is already in use (EADDRINUSE); free it or listen on another port'
            : `${code ?? ''} ${(err as Error).message}`.trim();
        throw new Error(`Cannot start the listener of target group ${spec.name} on ${host}:${port}: ${why}`, {
          cause: err,
        });
      }
      const address = server.address() as AddressInfo;
      g.listenerAddress = `${address.address}:${address.port}`;
    },

    async removeTargetGroup(targetGroupArn, graceMs = 0) {
      const g = groups.get(targetGroupArn);
      if (!g) return;
      groups.delete(targetGroupArn);
      g.closing = true;
      // No new connections; in-flight requests get `graceMs`, then every connection is cut.
      const closed = new Promise<void>((resolve) => g.server.close(() => resolve()));
      g.server.closeIdleConnections();
      const cut = timers.setTimeout(() => g.server.closeAllConnections(), graceMs);
      await closed;
      timers.clearTimeout(cut);
      for (const taskId of [...g.targets.keys()]) finishDrain(g, taskId);
    },

    registerTarget(targetGroupArn, target: TargetRef) {
      const g = groups.get(targetGroupArn);
      if (!g) throw new Error(`No target group ${targetGroupArn} on the local load balancer`);
      if (g.targets.has(target.taskId)) return;
      const s = g.spec;
      const t = new TargetRuntime(
        target,
        {
          path: s.healthCheckPath,
          ...(s.healthCheckPort === undefined ? {} : { port: s.healthCheckPort }),
          intervalMs: s.healthCheckIntervalSeconds * 1000 * scale,
          timeoutMs: s.healthCheckTimeoutSeconds * 1000 * scale,
          matcher: g.matcher,
          healthyThresholdCount: s.healthyThresholdCount,
          unhealthyThresholdCount: s.unhealthyThresholdCount,
        },
        timers,
        (status, previous) =>
          emit({
            targetGroupArn,
            target,
            state: status.state,
            previous: previous?.state,
            ...(status.reason === undefined ? {} : { reason: status.reason }),
            ...(status.description === undefined ? {} : { description: status.description }),
            at: new Date(timers.now()).toISOString(),
          }),
        (check) => emitCheck({ targetGroupArn, taskId: target.taskId, check }),
      );
      g.targets.set(target.taskId, t);
      t.start();
    },

    deregisterTarget(targetGroupArn, taskId) {
      const g = groups.get(targetGroupArn);
      const t = g?.targets.get(taskId);
      if (!g || !t) return Promise.resolve(); // elbv2: deregistering an unknown target succeeds
      const pending = g.drains.get(taskId);
      if (pending) return pending.promise;
      const delayMs = g.spec.deregistrationDelaySeconds * 1000;
      t.drain(delayMs);
      let finish!: () => void;
      const promise = new Promise<void>((resolve) => (finish = resolve));
      const timer = timers.setTimeout(() => finishDrain(g, taskId), delayMs);
      g.drains.set(taskId, { promise, finish, timer });
      return promise;
    },

    describeTargetGroup(targetGroupArn): TargetGroupView | undefined {
      const g = groups.get(targetGroupArn);
      if (!g) return undefined;
      const s = g.spec;
      return {
        targetGroupArn: s.targetGroupArn,
        targetGroupName: s.name,
        protocol: s.protocol,
        port: s.port,
        targetType: s.targetType,
        healthCheckPath: s.healthCheckPath,
        healthCheckIntervalSeconds: s.healthCheckIntervalSeconds,
        healthCheckTimeoutSeconds: s.healthCheckTimeoutSeconds,
        healthyThresholdCount: s.healthyThresholdCount,
        unhealthyThresholdCount: s.unhealthyThresholdCount,
        matcher: s.matcher,
        deregistrationDelaySeconds: s.deregistrationDelaySeconds,
        ...(g.listenerAddress === undefined ? {} : { listenerAddress: g.listenerAddress }),
        targets: [...[...g.targets.values()].map((t) => t.view()), ...g.removed],
      };
    },

    on(name, listener) {
      const set = (name === 'targetHealth' ? listeners : checkListeners) as Set<typeof listener>;
      set.add(listener);
      return () => set.delete(listener);
    },

    async close() {
      await Promise.all([...groups.keys()].map((arn) => api.removeTargetGroup(arn, 0)));
    },
  };
  return api;
}
