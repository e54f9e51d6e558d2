/**
 * Electron transport: the only place that touches ipcMain. One `ipcMain.handle` per operation; each
 * checks that the sender is our own top-level frame before validating input with the contract's
 * schema (dispatchOperation) and calling the handler.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { CallerContext } from '../../contract/caller.js';
import { topicChannel } from '../../contract/topics.js';
import { OPERATION_NAMES, operationChannel } from '../../contract/operation-names.js';
import type { ApiHandlers } from '../../contract/operations.js';
import type { ApiResult } from '../../contract/errors.js';
import { dispatchOperation } from '../services/dispatch.js';

/** Decides whether an IPC sender is trusted (our origin, main frame). */
export type SenderCheck = (event: Pick<IpcMainInvokeEvent, 'senderFrame'>) => boolean;

/** Builds a SenderCheck from an origin predicate: only top-level frames whose URL passes. */
export function trustedSender(isTrustedUrl: (url: string) => boolean): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame) return false;
    if (frame.parent !== null) return false;
    return isTrustedUrl(frame.url);
  };
}

/** The slice of a WebContents a caller needs (a fake in tests). */
export interface CallerSender {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
  once(event: 'destroyed', listener: () => void): unknown;
  on(event: 'did-navigate', listener: () => void): unknown;
}

const callers = new WeakMap<CallerSender, CallerContext>();

/**
 * The caller for one window: pushes go to that window only; it disconnects when the window is
 * destroyed or navigates (a reload starts a new page that knows nothing of the old sessions).
 */
export function callerFor(sender: CallerSender): CallerContext {
  const known = callers.get(sender);
  if (known) return known;
  const listeners = new Set<() => void>();
  const fire = (): void => {
    for (const listener of [...listeners]) listener();
    listeners.clear();
  };
  sender.once('destroyed', fire);
  sender.on('did-navigate', fire);
  const caller: CallerContext = {
    connectionId: `window:${sender.id}`,
    push(topic, payload) {
      if (!sender.isDestroyed()) sender.send(topicChannel(topic), payload);
    },
    onDisconnect(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  callers.set(sender, caller);
  return caller;
}

/** Registers every operation; returns a function that removes them. */
export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handlers: ApiHandlers,
  isTrusted: SenderCheck,
): () => void {
  for (const name of OPERATION_NAMES) {
    ipcMain.handle(operationChannel(name), async (event, input: unknown): Promise<ApiResult<unknown>> => {
      if (!isTrusted(event)) {
        return {
          ok: false,
          error: { code: 'FORBIDDEN', message: 'IPC from an untrusted frame was refused' },
        };
      }
      return dispatchOperation(handlers, name, input, callerFor(event.sender));
    });
  }
  return () => {
    for (const name of OPERATION_NAMES) ipcMain.removeHandler(operationChannel(name));
  };
}
