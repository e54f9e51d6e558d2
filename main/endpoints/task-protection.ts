/**
 * `$ECS_AGENT_URI/task-protection/v1/state` (GET, PUT) as the agent answers it for a standalone
 * task: amazon-ecs-agent ecs-agent/tmds/handlers/taskprotection/v1/handlers/handlers.go and
 * …/v1/types/types.go. Local tasks never belong to a service, so ECS's UpdateTaskProtection /
 * GetTaskProtection would answer with a TASK_NOT_VALID failure (the agent relays it with 200);
 * without a task role the agent refuses before calling ECS (403 AccessDeniedException).
 */

/** What the handler knows about the task the request came from; undefined = unknown id. */
export interface ProtectionTask {
  readonly taskArn: string;
  readonly hasTaskRole: boolean;
}

export interface ProtectionResponse {
  readonly status: number;
  readonly body: string;
}

const TASK_NOT_FOUND = 'Failed to find a task for the request';

function error(status: number, code: string, message: string, arn?: string): ProtectionResponse {
  return {
    status,
    body: JSON.stringify({ error: { ...(arn ? { Arn: arn } : {}), Code: code, Message: message } }),
  };
}

/** Parses a PUT body as the agent does (JSON, only ProtectionEnabled and ExpiresInMinutes). */
function decodeRequest(body: string): { ProtectionEnabled?: boolean } | undefined {
  try {
    const value: unknown = JSON.parse(body);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const obj = value as Record<string, unknown>;
    // Go's DisallowUnknownFields: any other key is a decode error (field names match case-insensitively).
    for (const key of Object.keys(obj)) {
      if (!['protectionenabled', 'expiresinminutes'].includes(key.toLowerCase())) return undefined;
    }
    const enabledKey = Object.keys(obj).find((k) => k.toLowerCase() === 'protectionenabled');
    const minutesKey = Object.keys(obj).find((k) => k.toLowerCase() === 'expiresinminutes');
    const enabled = enabledKey ? obj[enabledKey] : undefined;
    const minutes = minutesKey ? obj[minutesKey] : undefined;
    if (enabled !== undefined && enabled !== null && typeof enabled !== 'boolean') return undefined;
    if (minutes !== undefined && minutes !== null && !Number.isInteger(minutes)) return undefined;
    return typeof enabled === 'boolean' ? { ProtectionEnabled: enabled } : {};
  } catch {
    return undefined;
  }
}

/** The agent's answer to `method` on the task-protection state path. */
export function taskProtectionResponse(
  method: string,
  body: string,
  task: ProtectionTask | undefined,
): ProtectionResponse {
  if (method !== 'GET' && method !== 'PUT') {
    return { status: 405, body: '' };
  }
  let request: { ProtectionEnabled?: boolean } | undefined;
  if (method === 'PUT') {
    // The agent decodes the body before it looks the task up.
    request = decodeRequest(body);
    if (!request)
      return error(400, 'InvalidParameterException', 'UpdateTaskProtection: failed to decode request');
  }
  if (!task) return error(404, 'ResourceNotFoundException', TASK_NOT_FOUND);
  if (request && request.ProtectionEnabled === undefined) {
    return error(
      400,
      'InvalidParameterException',
      "Invalid request: does not contain 'ProtectionEnabled' field",
      task.taskArn,
    );
  }
  if (!task.hasTaskRole) {
    return error(
      403,
      'AccessDeniedException',
      'Invalid Request: no task IAM role credentials available for task',
      task.taskArn,
    );
  }
  // ECS: "Invoking this operation for a standalone task will result in an TASK_NOT_VALID failure."
  // Go marshals the SDK's Failure struct with its field names and a nil Detail as null.
  return {
    status: 200,
    body: JSON.stringify({ failure: { Arn: task.taskArn, Detail: null, Reason: 'TASK_NOT_VALID' } }),
  };
}
