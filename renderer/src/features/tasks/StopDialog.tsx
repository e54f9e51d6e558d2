/** Stop a task with an optional reason (becomes stoppedReason; stopCode UserInitiated). */
import { useState } from 'react';
import { Dialog } from '../../components/Dialog.js';

export function StopDialog({
  family,
  onClose,
  onStop,
  pending,
}: {
  family: string;
  onClose: () => void;
  onStop: (reason: string) => void;
  pending: boolean;
}) {
  const [reason, setReason] = useState('');
  return (
    <Dialog
      title={`Stop ${family}?`}
      onClose={onClose}
      testId="stop-dialog"
      footer={
        <>
          <button className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            className="button button-danger"
            disabled={pending}
            onClick={() => onStop(reason)}
            data-testid="stop-confirm"
          >
            {pending ? 'Stopping…' : 'Stop task'}
          </button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onStop(reason);
        }}
      >
        <p className="muted">
          Containers get SIGTERM (in reverse dependency order), then SIGKILL after their stop timeout.
        </p>
        <label className="field">
          <span>Reason (optional)</span>
          <input
            autoFocus
            value={reason}
            maxLength={1024}
            placeholder="Task stopped by user"
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
      </form>
    </Dialog>
  );
}
