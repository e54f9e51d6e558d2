/**
 * The app-wide banner for issue 11's recovery: orphans of a Taskdeck process that is gone (with
 * "Clean up", which removes only those) and damaged data that was kept aside.
 */
import type { RecoveryStatus } from '../../../../contract/dto.js';
import { useCleanOrphans, useRecoveryStatus } from '../../queries/hooks.js';
import { recoveryBanner } from './recovery-banner-model.js';

/** Presentational: the banner for `status` (nothing when there is nothing to say). */
export function RecoveryBannerView({
  status,
  busy,
  error,
  onCleanUp,
}: {
  status: RecoveryStatus | undefined;
  busy: boolean;
  error?: string;
  onCleanUp: () => void;
}) {
  const model = recoveryBanner(status);
  if (!model) return null;
  return (
    <div className="banner banner-warn" role="status" data-testid="recovery-banner">
      <div className="recovery-banner-text">
        {model.orphans && <strong data-testid="orphan-summary">{model.orphans}</strong>}
        {model.damaged && (
          <details className="recovery-damaged">
            <summary>{model.damaged}</summary>
            <ul>
              {model.details.map((d, i) => (
                <li key={i} className="mono">
                  {d}
                </li>
              ))}
            </ul>
          </details>
        )}
        {error && <span className="recovery-error">{error}</span>}
      </div>
      {model.orphans && (
        <button
          className="button button-small"
          disabled={busy}
          onClick={onCleanUp}
          data-testid="orphan-clean-up"
        >
          {busy ? 'Cleaning up…' : 'Clean up'}
        </button>
      )}
    </div>
  );
}

/** Connected: asks the app, cleans up on click. */
export function RecoveryBanner() {
  const status = useRecoveryStatus();
  const clean = useCleanOrphans();
  const failed = clean.data?.errors.length ? `Could not remove: ${clean.data.errors.join('; ')}` : undefined;
  return (
    <RecoveryBannerView
      status={status.data}
      busy={clean.isPending}
      {...(failed ? { error: failed } : {})}
      onCleanUp={() => clean.mutate()}
    />
  );
}
