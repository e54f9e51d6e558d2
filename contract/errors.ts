/**
 * The error envelope: failures cross every transport as data, never as thrown exceptions.
 */
import type { ApiError } from './dto.js';

/** Codes a client can branch on. */
export type ApiErrorCode =
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'INVALID_DEFINITION'
  | 'DOCKER_UNAVAILABLE'
  | 'UNKNOWN_OPERATION'
  | 'FORBIDDEN'
  | 'INTERNAL'
  | 'UNAUTHORIZED'
  /** ECS Exec refused: the task was not run with enableExecuteCommand (ECS's message). */
  | 'EXEC_NOT_ENABLED';

/**
 * What ECS answers when the task was not run with `enableExecuteCommand` (the AWS CLI prints it as
 * is). Taskdeck says the same so scripts and people recognise it.
 */
export const EXEC_NOT_ENABLED_MESSAGE =
  "An error occurred (InvalidParameterException) when calling the ExecuteCommand operation: The execute command failed because execute command was not enabled when the task was run or the execute command agent isn't running. Wait and try the command again or run a new task with execute command enabled and try again.";

/** What every operation returns over a transport. */
export type ApiResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };

/** A thrown error that carries an ApiError (services throw it; transports turn it into data). */
export class ApiFailure extends Error {
  readonly code: ApiErrorCode;
  readonly path?: string;
  readonly issues?: ApiError['issues'];

  constructor(code: ApiErrorCode, message: string, extra?: { path?: string; issues?: ApiError['issues'] }) {
    super(message);
    this.name = 'ApiFailure';
    this.code = code;
    if (extra?.path !== undefined) this.path = extra.path;
    if (extra?.issues !== undefined) this.issues = extra.issues;
  }

  /** The envelope form of this failure. */
  toApiError(): ApiError {
    return {
      code: this.code,
      message: this.message,
      ...(this.path !== undefined ? { path: this.path } : {}),
      ...(this.issues !== undefined ? { issues: this.issues } : {}),
    };
  }
}

/** A failure raised on the client from an envelope, so react-query sees a real Error. */
export class ApiCallError extends Error {
  readonly code: string;
  readonly path?: string;
  readonly issues?: ApiError['issues'];

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    if (error.path !== undefined) this.path = error.path;
    if (error.issues !== undefined) this.issues = error.issues;
  }
}

/** Returns the value of an ok result or throws an ApiCallError for a failure. */
export function unwrapResult<T>(result: ApiResult<T>): T {
  if (result.ok) return result.value;
  throw new ApiCallError(result.error);
}

/** Any thrown value → envelope error (unknown errors become INTERNAL with their message). */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return err.toApiError();
  if (err instanceof Error) return { code: 'INTERNAL', message: err.message };
  return { code: 'INTERNAL', message: String(err) };
}
