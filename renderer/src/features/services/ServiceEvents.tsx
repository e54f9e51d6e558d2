/** Service events as ECS writes them, newest first. */
import type { ServiceEventView } from '../../../../contract/service-dto.js';
import { formatTime } from '../../components/format.js';
import { eventsNewestFirst } from './service-model.js';

export function ServiceEvents({ events }: { events: readonly ServiceEventView[] }) {
  if (events.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <ol className="card svc-events" data-testid="service-events">
      {eventsNewestFirst(events).map((e) => (
        <li key={e.id} className="svc-event" data-testid="service-event">
          <time className="muted small nowrap" dateTime={e.createdAt}>
            {formatTime(e.createdAt)}
          </time>
          <span className={/unhealthy|fail|unable/i.test(e.message) ? 'text-error' : undefined}>
            {e.message}
          </span>
        </li>
      ))}
    </ol>
  );
}
