/** Why an exec could not start, with ECS's own wording where ECS has one. */

/**
 * What ECS answers when the task was not run with `enableExecuteCommand` (the AWS CLI prints it as
 * is). Taskdeck says the same so scripts and people recognise it.
 */
export const EXEC_NOT_ENABLED_MESSAGE =
  "An error occurred (InvalidParameterException) when calling the ExecuteCommand operation: The execute command failed because execute command was not enabled when the task was run or the execute command agent isn't running. Wait and try the command again or run a new task with execute command enabled and try again.";

/** What went wrong, for transports to map (CLI exit code, API error code). */
export type ExecErrorCode =
  | 'TaskNotFound'
  | 'ContainerNotFound'
  | 'ContainerNotRunning'
  | 'ExecNotEnabled'
  | 'TooManySessions'
  | 'SessionNotFound';

/** A refused exec; `message` is meant for the user as is. */
export class ExecError extends Error {
  constructor(
    readonly code: ExecErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExecError';
  }
}
