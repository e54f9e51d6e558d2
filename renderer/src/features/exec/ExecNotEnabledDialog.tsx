/**
 * Exec on a task run without enableExecuteCommand: ECS's answer, and the one-click way forward.
 * ECS decides exec when a task is *run* (RunTask / the service's flag) and never changes it on a
 * running task; Taskdeck keeps that (the flag is a label on the task's containers, fixed at
 * creation), so the offer is a re-run of the same launch with ECS Exec enabled.
 */
import { EXEC_NOT_ENABLED_MESSAGE } from '../../../../contract/errors.js';
import { navigate } from '../../app/router.js';
import { Dialog } from '../../components/Dialog.js';
import { errorToast, useToasts } from '../../components/Toasts.js';
import { useRerunTask } from '../../queries/hooks.js';

export function ExecNotEnabledDialog({
  taskId,
  container,
  canRerun,
  onClose,
}: {
  taskId: string;
  container: string;
  canRerun: boolean;
  onClose: () => void;
}) {
  const rerun = useRerunTask();
  const { push } = useToasts();
  return (
    <Dialog
      title={`Exec into ${container}`}
      onClose={onClose}
      testId="exec-not-enabled"
      footer={
        <>
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            className="button button-primary"
            disabled={!canRerun || rerun.isPending}
            title={canRerun ? undefined : 'The definition this task came from is not in the library'}
            data-testid="rerun-with-exec"
            onClick={() =>
              rerun.mutate(
                { taskId, enableExecuteCommand: true },
                {
                  onSuccess: (tasks) => {
                    onClose();
                    const first = tasks[0];
                    if (first) navigate({ name: 'tasks', id: first.taskId });
                  },
                  onError: (e) => push(errorToast('Could not re-run the task', e)),
                },
              )
            }
          >
            {rerun.isPending ? 'Launching…' : 'Re-run with ECS Exec enabled'}
          </button>
        </>
      }
    >
      <p className="callout callout-error mono small" role="alert">
        {EXEC_NOT_ENABLED_MESSAGE}
      </p>
      <p>
        On ECS, exec is switched on when a task is run (<code>enableExecuteCommand</code> on RunTask or the
        service) and cannot be turned on for a running task. Taskdeck works the same way: re-run this task
        (same definition, same overrides) with ECS Exec enabled, then open a shell in the new task. From the
        CLI: <code>taskdeck run FILE --enable-execute-command</code>.
      </p>
    </Dialog>
  );
}
