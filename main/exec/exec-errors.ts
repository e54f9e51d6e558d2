/** Why an exec could not start, with ECS's own wording where ECS has one. */

export { EXEC_NOT_ENABLED_MESSAGE } from '../../contract/errors.js';

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
