/** Picks the transport once at start: Electron's `window.taskdeck`, else HTTP + WebSocket. */
import type { TaskdeckBridge } from '../../../contract/bridge.js';
import { createHttpBridge, type PushConnectionEvents } from './http-bridge.js';
import { startWebSession } from './web-session.js';

declare global {
  interface Window {
    readonly taskdeck?: TaskdeckBridge;
  }
}

/** The bridge for this page, or an explanation when neither transport is available. */
export async function pickBridge(
  events: PushConnectionEvents,
): Promise<TaskdeckBridge | { readonly error: string }> {
  if (window.taskdeck) return window.taskdeck;
  const session = await startWebSession();
  if ('error' in session) return session;
  return createHttpBridge(session.token, events);
}
