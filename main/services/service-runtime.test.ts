import { describe, expect, it } from 'vitest';
import type { ServiceView } from '../../contract/service-dto.js';
import type { LoadBalancerApi } from '../ecs-service/load-balancer-api.js';
import type { ServiceManagerApi, ServiceManagerEvents } from '../ecs-service/service-manager-api.js';
import type { TaskEngineApi } from '../engine/engine-api.js';
import { createServiceRuntime } from './service-runtime.js';

/** Records the order of lifecycle calls across the doubles. */
function doubles() {
  const log: string[] = [];
  let changed: ServiceManagerEvents['changed'] | undefined;
  let n = 0;
  const lb = (): LoadBalancerApi => {
    const id = ++n;
    log.push(`lb${id} created`);
    return {
      close: async () => {
        log.push(`lb${id} closed`);
      },
    } as unknown as LoadBalancerApi;
  };
  const manager = (engine: string): ServiceManagerApi =>
    ({
      on: (name: string, listener: ServiceManagerEvents['changed']) => {
        if (name === 'changed') changed = listener;
        return () => {
          changed = undefined;
        };
      },
      close: async () => {
        // Closing takes a while: the next attach must wait for it.
        await new Promise((r) => setTimeout(r, 20));
        log.push(`manager(${engine}) closed`);
      },
    }) as unknown as ServiceManagerApi;
  return { log, lb, manager, emit: (s: ServiceView) => changed?.(s) };
}

describe('service runtime', () => {
  it('builds a manager per engine, closes manager then load balancer before the next one, and pushes changes', async () => {
    const d = doubles();
    const pushed: string[] = [];
    const options: { dataDir: string; region: string; account: string }[] = [];
    const runtime = createServiceRuntime({
      createLoadBalancer: d.lb,
      createManager: (o) => {
        options.push({ dataDir: o.dataDir, region: o.region, account: o.account });
        d.log.push(`manager(${String(o.engine)}) created`);
        return d.manager(String(o.engine));
      },
      parsers: () => {
        throw new Error('not used');
      },
      identity: () => ({ region: 'eu-west-1', account: '123456789012' }),
      dataDir: '/data',
      onChanged: (s) => pushed.push(s.serviceName),
    });
    expect(runtime.backend.manager()).toBeUndefined();
    await runtime.attach('engine1' as unknown as TaskEngineApi);
    expect(runtime.backend.manager()).toBeDefined();
    d.emit({ serviceName: 'api' } as ServiceView);
    const detaching = runtime.detach();
    expect(runtime.backend.manager()).toBeUndefined();
    d.emit({ serviceName: 'late' } as ServiceView);
    await runtime.attach('engine2' as unknown as TaskEngineApi);
    await detaching;
    expect(d.log).toEqual([
      'lb1 created',
      'manager(engine1) created',
      'manager(engine1) closed',
      'lb1 closed',
      'lb2 created',
      'manager(engine2) created',
    ]);
    expect(pushed).toEqual(['api']);
    expect(options[0]).toEqual({ dataDir: '/data', region: 'eu-west-1', account: '123456789012' });
  });

  it('closes the load balancer when the manager cannot start', async () => {
    const d = doubles();
    const runtime = createServiceRuntime({
      createLoadBalancer: d.lb,
      createManager: () => Promise.reject(new Error('store unreadable')),
      parsers: () => {
        throw new Error('not used');
      },
      identity: () => ({ region: 'us-east-1', account: '000000000000' }),
      dataDir: '/data',
      onChanged: () => undefined,
    });
    await expect(runtime.attach('e' as unknown as TaskEngineApi)).rejects.toThrow('store unreadable');
    expect(d.log).toEqual(['lb1 created', 'lb1 closed']);
    expect(runtime.backend.manager()).toBeUndefined();
  });
});
