/**
 * A dockerode instance that records when the engine calls Docker (and when each call returns),
 * so a latency can be split into "engine reacting" and "daemon working". Delegates everything;
 * adds only a timestamp per call.
 */
import type Docker from 'dockerode';
import { nowMs } from './clock.js';

/** One traced Docker call. `key` is the container name (create), id (container ops) or image ref. */
export interface TracedCall {
  readonly op: string;
  readonly key: string;
  readonly calledMs: number;
  doneMs?: number;
}

function timed<T>(trace: TracedCall[], op: string, key: string, call: () => T): T {
  const entry: TracedCall = { op, key, calledMs: nowMs() };
  trace.push(entry);
  const out = call();
  if (out instanceof Promise) {
    out.then(
      () => (entry.doneMs = nowMs()),
      () => (entry.doneMs = nowMs()),
    );
  }
  return out;
}

/** Proxies every method of `target` with `this` bound to it; `wrap` can replace some. */
function proxy<T extends object>(
  target: T,
  wrap: (prop: string | symbol, fn: (...args: unknown[]) => unknown) => unknown,
): T {
  return new Proxy(target, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t) as unknown;
      if (typeof v !== 'function') return v;
      const bound = (v as (...args: unknown[]) => unknown).bind(t);
      return wrap(prop, bound) ?? bound;
    },
  });
}

const CONTAINER_OPS = new Set(['start', 'stop', 'inspect', 'logs', 'remove']);

/** `docker`, recording createContainer, list calls, container start/stop/inspect/logs/remove, image inspect and pull. */
export function tracingDocker(docker: Docker, trace: TracedCall[]): Docker {
  return proxy(docker, (prop, fn) => {
    if (prop === 'createContainer') {
      return (opts: Docker.ContainerCreateOptions, ...rest: unknown[]) =>
        timed(trace, 'createContainer', opts.name ?? '', () => fn(opts, ...rest));
    }
    if (prop === 'pull')
      return (ref: string, ...rest: unknown[]) => timed(trace, 'pull', ref, () => fn(ref, ...rest));
    if (prop === 'getContainer') {
      return (id: string) =>
        proxy(fn(id) as Docker.Container, (op, cfn) =>
          typeof op === 'string' && CONTAINER_OPS.has(op)
            ? (...args: unknown[]) => timed(trace, `container.${op}`, id, () => cfn(...args))
            : undefined,
        );
    }
    if (prop === 'getImage') {
      return (ref: string) =>
        proxy(fn(ref) as Docker.Image, (op, ifn) =>
          op === 'inspect'
            ? (...args: unknown[]) => timed(trace, 'image.inspect', ref, () => ifn(...args))
            : undefined,
        );
    }
    return undefined;
  });
}
