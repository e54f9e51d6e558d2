/** ECS Task State Change events, newest first, each with what changed since the one before. */
import { useMemo, useState } from 'react';
import type { TaskStateChangeEvent } from '../../../../contract/dto.js';
import { formatTime } from '../../components/format.js';
import { StatusBadge } from '../../components/StatusBadge.js';
import { errorToast, useToasts } from '../../components/Toasts.js';
import { diffEventDetails, formatValue } from './event-diff.js';

export function EventsFeed({ events }: { events: readonly TaskStateChangeEvent[] }) {
  const { push } = useToasts();
  const items = useMemo(() => {
    const sorted = [...events].sort((a, b) => a.detail.version - b.detail.version);
    return sorted
      .map((e, i) => ({ event: e, changes: diffEventDetails(sorted[i - 1]?.detail, e.detail) }))
      .reverse();
  }, [events]);
  const [open, setOpen] = useState<string | undefined>();
  const copy = (value: unknown, what: string) =>
    navigator.clipboard
      .writeText(JSON.stringify(value, null, 2))
      .then(() => push({ kind: 'success', title: `Copied ${what}` }))
      .catch((e: unknown) => push(errorToast('Could not copy', e)));
  if (items.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <div className="events" data-testid="events-feed">
      <div className="events-toolbar">
        <span className="muted small">
          {items.length} event{items.length === 1 ? '' : 's'} · newest first · EventBridge “ECS Task State
          Change”
        </span>
        <button className="button button-small" onClick={() => copy(events, `${events.length} events`)}>
          Copy all as JSON
        </button>
      </div>
      <ol className="event-list">
        {items.map(({ event, changes }) => {
          const first = event.detail.version === items[items.length - 1]?.event.detail.version;
          const shown = first
            ? changes.filter((c) => ['lastStatus', 'desiredStatus'].includes(c.path))
            : changes;
          return (
            <li key={event.id} className="card event" data-testid="event">
              <div className="event-head">
                <span className="event-version mono">v{event.detail.version}</span>
                <StatusBadge status={event.detail.lastStatus} />
                <span className="muted small">desired {event.detail.desiredStatus}</span>
                <span className="muted small tabular">{formatTime(event.time)}</span>
                <span className="toolbar-spacer" />
                <button
                  className="button button-small button-ghost"
                  onClick={() => setOpen(open === event.id ? undefined : event.id)}
                >
                  {open === event.id ? 'Hide JSON' : 'JSON'}
                </button>
                <button
                  className="button button-small button-ghost"
                  onClick={() => copy(event, `event v${event.detail.version}`)}
                >
                  Copy
                </button>
              </div>
              {first && <div className="muted small">First event: the task was created.</div>}
              {shown.length > 0 && (
                <table
                  className="table table-compact event-diff"
                  aria-label={`Changes in v${event.detail.version}`}
                >
                  <tbody>
                    {shown.map((c) => (
                      <tr key={c.path} className={`diff-${c.kind}`}>
                        <td className="mono diff-path">{c.path}</td>
                        <td className="mono diff-before">{formatValue(c.before)}</td>
                        <td className="diff-arrow" aria-hidden>
                          →
                        </td>
                        <td className="mono diff-after">{formatValue(c.after)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {!first && shown.length === 0 && (
                <div className="muted small">No field changed (version bump only).</div>
              )}
              {open === event.id && <pre className="event-json">{JSON.stringify(event, null, 2)}</pre>}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
