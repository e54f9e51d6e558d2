/** Sidebar indicator of the Docker connection. */
import { useDockerStatus } from '../../queries/hooks.js';
import { pillView } from './docker-status-model.js';

export function DockerStatusPill() {
  const { data } = useDockerStatus();
  const { state, label } = pillView(data);
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
