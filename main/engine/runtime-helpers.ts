/** Pure helpers the task runner uses to read Docker's answers and its own state. */
import type Docker from '../docker/docker-client.js';
import type { HealthProbe, NetworkBinding } from '../../contract/dto.js';
import type { UpstreamState } from './dependency-resolution.js';
import type { ContainerRuntime } from './task-runtime.js';

/** RFC 3339 with the fraction padded to nanoseconds, so string order is time order. */
export function sortableTime(t: string): string {
  const m = /^(.*?T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(t);
  if (!m) return t;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}${m[3]}`;
}

/** Docker's error message without dockerode's HTTP prefix. */
export function dockerMessage(err: Error): string {
  const e = err as Error & { json?: { message?: string } };
  return (e.json?.message ?? e.message).replace(/^\(HTTP code \d+\) [a-z ]+ - /, '').trim();
}

/** Docker port bindings as ECS networkBindings. */
export function bindingsOf(info: Docker.ContainerInspectInfo): NetworkBinding[] {
  const out: NetworkBinding[] = [];
  for (const [key, binds] of Object.entries(info.NetworkSettings.Ports ?? {})) {
    const [port, proto] = key.split('/');
    for (const b of binds ?? []) {
      if (b.HostIp === '::') continue;
      out.push({
        bindIP: b.HostIp || '0.0.0.0',
        containerPort: Number(port),
        hostPort: Number(b.HostPort),
        protocol: proto === 'udp' ? 'udp' : 'tcp',
      });
    }
  }
  return out;
}

/** Adds Docker's last-five probe log entries not seen yet to `probes`; returns whether any were new. */
export function mergeProbes(probes: HealthProbe[], info: Docker.ContainerInspectInfo): boolean {
  const log = (
    info.State.Health as
      { Log?: { Start: string; End: string; ExitCode: number; Output: string }[] } | undefined
  )?.Log;
  if (!log) return false;
  const seen = new Set(probes.map((p) => p.start));
  let added = false;
  for (const e of log) {
    if (seen.has(e.Start)) continue;
    probes.push({ start: e.Start, end: e.End, exitCode: e.ExitCode, output: e.Output });
    added = true;
  }
  if (added) probes.sort((a, b) => a.start.localeCompare(b.start));
  return added;
}

/** What dependency resolution needs to know about every container of a task. */
export function upstreamStates(containers: readonly ContainerRuntime[]): Map<string, UpstreamState> {
  const m = new Map<string, UpstreamState>();
  for (const c of containers) {
    m.set(c.name, {
      name: c.name,
      ...(c.startedAt ? { startedAt: Date.parse(c.startedAt) } : {}),
      ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
      exited: c.phase === 'STOPPED' && c.startedAt !== undefined,
      ...(c.failedReason ? { failedReason: c.failedReason } : {}),
      healthStatus: c.health,
      failedProbes: c.probes.filter((p) => p.exitCode !== 0).length,
      ...(c.def.startTimeout !== undefined ? { startTimeout: c.def.startTimeout } : {}),
      hasHealthCheck: c.def.healthCheck !== undefined,
    });
  }
  return m;
}

/** The HTTP status of a Docker API error (404 gone, 304 no-op …), if it has one. */
export function dockerStatus(err: unknown): number | undefined {
  return (err as { statusCode?: number } | null)?.statusCode;
}
