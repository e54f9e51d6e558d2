/**
 * Error answers of the endpoints, worded and coded as the ECS agent writes them, so clients that
 * branch on them (the SDKs' container credential providers, health probes) behave as on ECS.
 */

/** A metadata route that can fail to find its id. */
export type MetadataRouteKind = 'container' | 'task' | 'container-stats' | 'task-stats';

/**
 * The 404 body (a JSON string) for an unknown metadata id: amazon-ecs-agent
 * ecs-agent/tmds/handlers/v4/handlers.go (`getContainerErrorResponse`, `getTaskErrorResponse`,
 * `getStatsErrorResponse`) around the lookup reasons of agent/handlers/v4/tmdsstate.go.
 */
export function metadataNotFoundBody(version: 3 | 4, kind: MetadataRouteKind, id: string): string {
  const byTask = 'unable to get task arn from request: unable to get task Arn from v3 endpoint ID';
  const byContainer = 'unable to get container ID from request: unable to get docker ID from v3 endpoint ID';
  const [handler, reason] =
    kind === 'container'
      ? ['container metadata handler', byContainer]
      : kind === 'task'
        ? ['task metadata handler', byTask]
        : kind === 'container-stats'
          ? ['container stats handler', byContainer]
          : ['task stats handler', byTask];
  return JSON.stringify(`V${version} ${handler}: ${reason}: ${id}`);
}

/** A credentials error body: amazon-ecs-agent ecs-agent/tmds/handlers/v1/credentials_handler.go. */
export interface CredentialsError {
  readonly status: number;
  readonly body: string;
}

function credentialsError(version: 1 | 2, code: string, message: string, status: number): CredentialsError {
  return {
    status,
    body: JSON.stringify({
      code,
      message: `CredentialsV${version}Request: ${message}`,
      HTTPErrorCode: status,
    }),
  };
}

/** No id in the request (`/v2/credentials`, `/v1/credentials` without `?id=`). */
export const noIdInRequest = (version: 1 | 2): CredentialsError =>
  credentialsError(version, 'NoIdInRequest', 'No Credential ID in the request', 400);

/** An id that is unknown, revoked, or not this task's. */
export const invalidIdInRequest = (version: 1 | 2): CredentialsError =>
  credentialsError(version, 'InvalidIdInRequest', 'Credentials not found', 400);

/** A known id whose first credentials are still being fetched. */
export const credentialsUninitialized = (version: 1 | 2): CredentialsError =>
  credentialsError(version, 'CredentialsUninitialized', 'Credentials uninitialized for ID', 503);
