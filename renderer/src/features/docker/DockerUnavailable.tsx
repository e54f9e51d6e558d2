/** What to do when Docker cannot be reached: the error, the hint, and Retry. */
import type { DockerConnectionStatus } from '../../../../contract/dto.js';
import { useRetryDocker } from '../../queries/hooks.js';

export function DockerUnavailable({
  status,
  compact,
}: {
  status: DockerConnectionStatus;
  compact?: boolean;
}) {
  const retry = useRetryDocker();
  const busy = retry.isPending || status.connecting === true;
  if (compact) {
    return (
      <div className="banner banner-error" role="alert" data-testid="docker-banner">
        <span>
          <strong>Docker is unreachable.</strong> {status.hint ?? ''}
        </span>
        <button className="button button-small" disabled={busy} onClick={() => retry.mutate()}>
          {busy ? 'Retrying…' : 'Retry'}
        </button>
      </div>
    );
  }
  return (
    <div className="docker-unavailable" role="alert" data-testid="docker-unavailable">
      <div className="docker-unavailable-icon" aria-hidden>
        ⚠
      </div>
      <h1>Taskdeck cannot reach Docker</h1>
      <p className="docker-error mono">{status.error ?? 'Not connected.'}</p>
      {status.endpoint && (
        <p className="muted">
          Endpoint <span className="mono">{status.endpoint}</span>
          {status.source ? ` (from ${status.source})` : ''}
        </p>
      )}
      <div className="callout">
        <strong>How to fix it</strong>
        <p>{status.hint ?? 'Start Docker, then press Retry.'}</p>
        <ul>
          <li>
            Linux: <code>sudo systemctl start docker</code>, and make sure your user can read the socket.
          </li>
          <li>
            macOS / Windows: start Docker Desktop (or Colima / Rancher Desktop / Podman with its Docker
            socket).
          </li>
          <li>
            Remote engine: set <code>DOCKER_HOST</code>, or choose an endpoint or context in{' '}
            <a href="#/settings">Settings</a>.
          </li>
        </ul>
      </div>
      <div className="button-row">
        <button
          className="button button-primary"
          disabled={busy}
          onClick={() => retry.mutate()}
          data-testid="docker-retry"
        >
          {busy ? 'Connecting…' : 'Retry'}
        </button>
        <a className="button" href="#/settings">
          Connection settings
        </a>
      </div>
    </div>
  );
}
