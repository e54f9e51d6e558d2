/**
 * Connects the Electron transport: one ipcMain handler per operation (trusted frames only) and
 * every push topic forwarded to every window. Lives in main/ipc because lint allows ipcMain and
 * webContents.send nowhere else.
 */
import { BrowserWindow, ipcMain } from 'electron';
import type { ApiHandlers } from '../../contract/operations.js';
import type { TopicBus } from '../services/topic-bus.js';
import { forwardTopics } from './forward-topics.js';
import { registerIpcHandlers, trustedSender } from './register-ipc.js';

/** Registers the handlers and topic forwarding; returns the function that removes both. */
export function connectIpc(
  handlers: ApiHandlers,
  bus: TopicBus,
  isTrustedUrl: (url: string) => boolean,
): () => void {
  const removeHandlers = registerIpcHandlers(ipcMain, handlers, trustedSender(isTrustedUrl));
  const stopForwarding = forwardTopics(bus, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
  return () => {
    removeHandlers();
    stopForwarding();
  };
}
