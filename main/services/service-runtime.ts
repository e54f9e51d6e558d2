/**
 * The app's ECS services (issue 13): one local load balancer and one service manager per Docker
 * connection, built on the engine of that connection and closed when it goes away (tasks keep
 * running and are re-adopted, with their services, by the next manager). Pushes every service
 * change to the bus.
 */
import type { ServiceView } from '../../contract/service-dto.js';
import type { LoadBalancerApi } from '../ecs-service/load-balancer-api.js';
import type { ServiceManagerApi } from '../ecs-service/service-manager-api.js';
import type { TaskEngineApi } from '../engine/engine-api.js';
import type { ServiceBackend } from './service-backend.js';
import { createServiceRequestParser, type ServiceDocumentParsers } from './service-request-parser.js';

export interface ServiceIdentity {
  readonly region: string;
  readonly account: string;
}

/** The real implementations (or doubles), injected by the composition root. */
export interface ServiceRuntimeDeps {
  createLoadBalancer(): LoadBalancerApi | Promise<LoadBalancerApi>;
  createManager(options: {
    readonly engine: TaskEngineApi;
    readonly loadBalancer: LoadBalancerApi;
    readonly dataDir: string;
    readonly region: string;
    readonly account: string;
  }): ServiceManagerApi | Promise<ServiceManagerApi>;
  /** Document parsers bound to the identity at the time of the request. */
  parsers(identity: ServiceIdentity): ServiceDocumentParsers;
  identity(): ServiceIdentity;
  readonly dataDir: string;
  onChanged(service: ServiceView): void;
}

export interface ServiceRuntime {
  readonly backend: ServiceBackend;
  /** A new engine is ready: build the load balancer and manager on it (after the last one closed). */
  attach(engine: TaskEngineApi): Promise<void>;
  /** The engine goes away: close the manager, then the load balancer. */
  detach(): Promise<void>;
}

export function createServiceRuntime(deps: ServiceRuntimeDeps): ServiceRuntime {
  let current: { manager: ServiceManagerApi; loadBalancer: LoadBalancerApi; off: () => void } | undefined;
  let closing: Promise<void> = Promise.resolve();

  const detach = (): Promise<void> => {
    const was = current;
    current = undefined;
    if (was) {
      was.off();
      closing = closing
        .then(() => was.manager.close())
        .catch((err: unknown) => console.error('[taskdeck] closing the service manager failed:', err))
        .then(() => was.loadBalancer.close())
        .catch((err: unknown) => console.error('[taskdeck] closing the load balancer failed:', err));
    }
    return closing;
  };

  return {
    backend: {
      manager: () => current?.manager,
      parseCreate: (request) => createServiceRequestParser(deps.parsers(deps.identity()))(request),
    },
    async attach(engine) {
      await detach();
      const { region, account } = deps.identity();
      const loadBalancer = await deps.createLoadBalancer();
      let manager: ServiceManagerApi;
      try {
        manager = await deps.createManager({ engine, loadBalancer, dataDir: deps.dataDir, region, account });
      } catch (err) {
        await loadBalancer.close().catch(() => undefined);
        throw err;
      }
      const off = manager.on('changed', (service) => deps.onChanged(service));
      current = { manager, loadBalancer, off };
    },
    detach,
  };
}
