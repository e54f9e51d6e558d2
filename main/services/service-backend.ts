/**
 * What the services operations need from the composition root (issue 13): the service manager of
 * the current Docker connection, and the parser that turns create-service / create-target-group
 * JSON texts into the manager's input (with library-resolved task definitions).
 */
import type { CreateServiceInput, ServiceManagerApi } from '../ecs-service/service-manager-api.js';

/** `services:create`'s request, as validated by the contract. */
export interface CreateServiceRequest {
  readonly serviceText: string;
  readonly targetGroupTexts: readonly string[];
  readonly listen?: Readonly<Record<string, number>> | undefined;
  readonly deregistrationDelaySeconds?: number | undefined;
}

/** Parses a create request; throws ApiFailure INVALID_DEFINITION with every issue at its JSON path. */
export type ParseCreateService = (request: CreateServiceRequest) => Promise<CreateServiceInput>;

export interface ServiceBackend {
  /** The manager on the current Docker connection; undefined while Docker is not connected. */
  manager(): ServiceManagerApi | undefined;
  readonly parseCreate: ParseCreateService;
}
