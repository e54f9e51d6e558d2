/**
 * The real ECS-services implementations for the app (issue 13): the local load balancer, the
 * service manager, and the create-service / create-target-group parsers with `taskDefinition`
 * resolved against the definitions library.
 */
import { createLocalLoadBalancer } from '../ecs-service/load-balancer/local-load-balancer.js';
import { createServiceManager } from '../ecs-service/service-manager.js';
import { parseService } from '../ecs-service/service-parse.js';
import { parseTargetGroup } from '../ecs-service/target-group-parse.js';
import type { DefinitionsLibrary } from './definitions-library.js';
import { resolveLibraryRef } from './library-definition-ref.js';
import type { ServiceRuntimeDeps } from './service-runtime.js';

export function ecsServiceFactories(
  library: DefinitionsLibrary,
): Pick<ServiceRuntimeDeps, 'createLoadBalancer' | 'createManager' | 'parsers'> {
  return {
    createLoadBalancer: () => createLocalLoadBalancer(),
    createManager: (options) => createServiceManager(options),
    parsers: ({ region, account }) => ({
      targetGroup(text, deregistrationDelaySeconds) {
        const r = parseTargetGroup(text, {
          region,
          account,
          ...(deregistrationDelaySeconds !== undefined ? { deregistrationDelaySeconds } : {}),
        });
        return r.ok ? { ok: true, value: r.spec } : { ok: false, errors: r.errors };
      },
      async service(text, targetGroups) {
        const r = await parseService(text, {
          targetGroups,
          resolveTaskDefinition: async (ref) => {
            const found = resolveLibraryRef(library, ref);
            return found.ok ? found.value.definition : { error: found.message };
          },
        });
        return r.ok ? { ok: true, value: r.service } : { ok: false, errors: r.errors };
      },
    }),
  };
}
