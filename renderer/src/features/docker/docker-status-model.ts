/**
 * What the app shows about its Docker connection and its task history, from `docker:status`:
 * the sidebar pill's state and label, and the banners every page shows while Docker is away
 * (Taskdeck retrying by itself) or task history cannot be saved.
 */
import type { DockerConnectionStatus } from '../../../../contract/dto.js';

export type PillState = 'connected' | 'connecting' | 'disconnected' | 'outage';

export interface PillView {
  readonly state: PillState;
  readonly label: string;
}

export interface AppNotice {
  readonly kind: 'outage' | 'storage';
  readonly text: string;
  readonly detail: string;
}

/** `hh:mm:ss` in the viewer's local time. */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The sidebar pill. */
export function pillView(status: DockerConnectionStatus | undefined, clock = clockTime): PillView {
  if (!status) return { state: 'connecting', label: 'Connecting to Docker…' };
  if (status.unreachableSince)
    return { state: 'outage', label: `Docker unreachable since ${clock(status.unreachableSince)}, retrying` };
  if (status.connected) return { state: 'connected', label: `Docker ${status.serverVersion ?? ''}`.trim() };
  if (status.connecting) return { state: 'connecting', label: 'Connecting to Docker…' };
  return { state: 'disconnected', label: 'Docker unreachable' };
}

/** Docker lost while connected is not "cannot connect": tasks stay on screen, with a banner. */
export function isOutage(status: DockerConnectionStatus | undefined): boolean {
  return status?.unreachableSince !== undefined;
}

/** Banners for every page: Docker away (retrying) and task history not being saved. */
export function appNotices(status: DockerConnectionStatus | undefined, clock = clockTime): AppNotice[] {
  const out: AppNotice[] = [];
  if (status?.unreachableSince) {
    out.push({
      kind: 'outage',
      text: `Docker unreachable since ${clock(status.unreachableSince)}, retrying.`,
      detail: 'Running tasks are resynced when Docker is back; new tasks are refused until then.',
    });
  }
  if (status?.storageError) {
    const message = status.storageError.charAt(0).toUpperCase() + status.storageError.slice(1);
    out.push({
      kind: 'storage',
      text: `${message}${status.storageErrorSince ? ` (since ${clock(status.storageErrorSince)})` : ''}.`,
      detail: 'Tasks are still managed; their history is saved again as soon as the disk allows.',
    });
  }
  return out;
}
