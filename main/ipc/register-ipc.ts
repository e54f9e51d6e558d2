/**
 * Electron transport: the only place that touches ipcMain. One `ipcMain.handle` per operation; each
 * checks that the sender is our own top-level frame before validating input with the contract's
 * schema (dispatchOperation) and calling the handler.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
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
      return dispatchOperation(handlers, name, input);
    });
  }
  return () => {
    for (const name of OPERATION_NAMES) ipcMain.removeHandler(operationChannel(name));
  };
}
