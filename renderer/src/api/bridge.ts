/** Picks the transport once at start: Electron's `window.taskdeck`, else HTTP + WebSocket. */
import type { TaskdeckBridge } from '../../../contract/bridge.js';
import { createHttpBridge, type PushConnectionEvents } from './http-bridge.js';

declare global {
  interface Window {
    readonly taskdeck?: TaskdeckBridge;
  }
}

/** The token web mode printed in the URL (`?token=`). */
export function tokenFromLocation(): string | undefined {
  return new URLSearchParams(location.search).get('token') ?? undefined;
}

/** The bridge for this page, or an explanation when neither transport is available. */
export function pickBridge(events: PushConnectionEvents): TaskdeckBridge | { readonly error: string } {
  if (window.taskdeck) return window.taskdeck;
  const token = tokenFromLocation();
  if (!token) {
    return { error: 'This page needs the URL printed by `taskdeck web` (it carries an access token).' };
  }
  return createHttpBridge(token, events);
}
