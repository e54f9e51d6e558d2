/** Banners on every page while Docker is away (retrying by itself) or task history is not saved. */
import type { DockerConnectionStatus } from '../../../../contract/dto.js';
import { appNotices } from './docker-status-model.js';

export function AppNotices({ status }: { status: DockerConnectionStatus | undefined }) {
  const notices = appNotices(status);
  if (notices.length === 0) return null;
  return (
    <>
      {notices.map((n) => (
        <div
          key={n.kind}
          className={`banner ${n.kind === 'outage' ? 'banner-error' : 'banner-warn'}`}
          role="status"
          data-testid={`notice-${n.kind}`}
        >
          <span>
            <strong>{n.text}</strong> {n.detail}
          </span>
        </div>
      ))}
    </>
  );
}
