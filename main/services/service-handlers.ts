/**
 * Handlers of the services operations (issue 13), spread into createApiHandlers' map. Picked
 * from ApiHandlers, so a missing one is a compile error there.
 */
import { ApiFailure } from '../../contract/errors.js';
import type { ApiHandlers } from '../../contract/operations.js';
import type { ServiceView } from '../../contract/service-dto.js';
import type { ServiceManagerApi, UpdateServiceInput } from '../ecs-service/service-manager-api.js';
import type { AppServices } from './app-services.js';
import { libraryDefinitionById, requireLibraryRef } from './library-definition-ref.js';

export type ServiceHandlers = Pick<
  ApiHandlers,
  'services:list' | 'services:get' | 'services:create' | 'services:update' | 'services:delete'
>;

/** An error from the manager (unknown service, name taken, port in use) → the envelope. */
function managerFailure(err: unknown): unknown {
  if (err instanceof ApiFailure || !(err instanceof Error)) return err;
  const message = err.message;
  if (/not found|no service|does not exist/i.test(message)) return new ApiFailure('NOT_FOUND', message);
  if (/already exists|EADDRINUSE|in use|not active|draining|invalid/i.test(message))
    return new ApiFailure('BAD_REQUEST', message);
  return err;
}

async function managed<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw managerFailure(err);
  }
}

export function createServiceHandlers(services: AppServices): ServiceHandlers {
  const backend = services.services;

  const manager = (): ServiceManagerApi => {
    if (!backend)
      throw new ApiFailure('DOCKER_UNAVAILABLE', 'ECS services are not available in this process');
    const m = backend.manager();
    if (!m) throw new ApiFailure('DOCKER_UNAVAILABLE', 'Docker is not connected, so no service can run');
    return m;
  };

  const find = (serviceName: string): ServiceView => {
    const found = manager().describeService(serviceName);
    if (!found || found.status === 'INACTIVE')
      throw new ApiFailure('NOT_FOUND', `No service named "${serviceName}"`, { path: 'serviceName' });
    return found;
  };

  return {
    'services:list': async () => backend?.manager()?.listServices() ?? [],
    'services:get': async ({ serviceName }) => find(serviceName),
    'services:create': async (request) => {
      const m = manager();
      if (!backend) throw new ApiFailure('DOCKER_UNAVAILABLE', 'ECS services are not available');
      const input = await backend.parseCreate(request);
      const existing = m.describeService(input.service.serviceName);
      if (existing && existing.status !== 'INACTIVE') {
        throw new ApiFailure(
          'BAD_REQUEST',
          `service.serviceName: a service named "${input.service.serviceName}" already runs (delete it first, or update it)`,
          { path: 'service.serviceName' },
        );
      }
      return managed(() => m.createService(input));
    },
    'services:update': async ({
      serviceName,
      desiredCount,
      definitionId,
      taskDefinition,
      forceNewDeployment,
    }) => {
      const current = find(serviceName);
      const resolved =
        definitionId !== undefined
          ? libraryDefinitionById(services.library, definitionId)
          : taskDefinition !== undefined
            ? requireLibraryRef(services.library, taskDefinition, 'taskDefinition')
            : undefined;
      const input: UpdateServiceInput = {
        ...(desiredCount !== undefined ? { desiredCount } : {}),
        ...(resolved ? { taskDefinition: { ref: resolved.ref, definition: resolved.definition } } : {}),
        ...(forceNewDeployment !== undefined ? { forceNewDeployment } : {}),
      };
      return managed(() => manager().updateService(current.serviceName, input));
    },
    'services:delete': async ({ serviceName }) => {
      const current = find(serviceName);
      // Draining takes the deregistration delay (300 s by default): the call returns once the
      // deletion started; its progress (DRAINING, then INACTIVE) arrives on `services:changed`.
      manager()
        .deleteService(current.serviceName)
        .catch((err: unknown) => console.error(`[taskdeck] deleting service ${serviceName} failed:`, err));
      return { deleted: true };
    },
  };
}
