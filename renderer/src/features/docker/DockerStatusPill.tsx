/** Sidebar indicator of the Docker connection. */
import { useDockerStatus } from '../../queries/hooks.js';

export function DockerStatusPill() {
  const { data } = useDockerStatus();
  const state = !data
    ? 'connecting'
    : data.connected
      ? 'connected'
      : data.connecting
        ? 'connecting'
        : 'disconnected';
  const label =
    state === 'connected'
      ? `Docker ${data?.serverVersion ?? ''}`.trim()
      : state === 'connecting'
        ? 'Connecting to Docker…'
        : 'Docker unreachable';
  return (
    <a
      href="#/settings"
      className={`docker-pill docker-pill-${state}`}
      data-testid="docker-status"
      data-state={state}
      title={data?.endpoint ? `${data.endpoint} (${data.source})` : undefined}
    >
      <span className="dot" aria-hidden />
      <span className="docker-pill-text">
        {label}
        {data?.endpoint && <span className="docker-pill-endpoint">{data.endpoint}</span>}
      </span>
    </a>
  );
}
