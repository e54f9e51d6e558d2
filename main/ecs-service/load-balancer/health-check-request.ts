/**
 * One load-balancer health check: `GET <path>` on a fresh connection (ELB closes the connection
 * after each check), with the group's timeout, classified for the state machine.
 */
import { request } from 'node:http';
import { matchesHttpCode, type HttpCodeMatcher } from './http-code-matcher.js';
import type { HealthCheckOutcome } from './target-health-state.js';

/** Where and how to check. */
export interface HealthCheckTarget {
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly timeoutMs: number;
  readonly matcher: HttpCodeMatcher;
}

/** The outcome plus what the timeline shows. */
export interface HealthCheckResult {
  readonly outcome: HealthCheckOutcome;
  readonly latencyMs: number;
  readonly statusCode?: number;
  readonly error?: string;
}

/** Sends one health check; never rejects. `abort` cancels it (resolves as a connection error). */
export function runHealthCheck(target: HealthCheckTarget, signal?: AbortSignal): Promise<HealthCheckResult> {
  const started = performance.now();
  const latency = () => Math.round((performance.now() - started) * 10) / 10;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: HealthCheckResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = request({
      host: target.host,
      port: target.port,
      path: target.path,
      method: 'GET',
      agent: false,
      headers: { 'user-agent': 'ELB-HealthChecker/2.0', connection: 'close' },
      signal,
    });
    const timer = setTimeout(() => {
      done({
        outcome: { kind: 'timeout' },
        latencyMs: latency(),
        error: `timeout after ${target.timeoutMs / 1000} s`,
      });
      req.destroy();
    }, target.timeoutMs);
    req.on('response', (res) => {
      const statusCode = res.statusCode ?? 0;
      res.resume();
      const ok = matchesHttpCode(target.matcher, statusCode);
      done({
        outcome: ok ? { kind: 'pass', statusCode } : { kind: 'mismatch', statusCode },
        latencyMs: latency(),
        statusCode,
      });
      res.on('error', () => undefined);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const error = err.code ?? err.message;
      done({ outcome: { kind: 'connection', error }, latencyMs: latency(), error });
    });
    req.end();
  });
}
