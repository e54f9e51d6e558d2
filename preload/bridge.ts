/**
 * Builds `window.taskdeck` from the contract: one function per operation plus `subscribe`.
 * Only plain functions cross the bridge; the IPC object itself never does, and listeners never see
 * the IPC event (which would leak `sender`). Imports only zod-free contract files: a sandboxed
 * preload cannot require npm packages.
 */
import type { TaskdeckBridge } from '../contract/bridge.js';
import type { ApiResult } from '../contract/errors.js';
import { OPERATION_NAMES, operationChannel } from '../contract/operation-names.js';
import { isTopicName, topicChannel, type TopicName } from '../contract/topics.js';

/** The slice of ipcRenderer the bridge uses (a fake in tests). */
export interface BridgeIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function transportError(err: unknown): ApiResult<never> {
  return {
    ok: false,
    error: { code: 'INTERNAL', message: `IPC failed: ${(err as Error)?.message ?? String(err)}` },
  };
}

/** Builds the object exposed as `window.taskdeck`. */
export function buildBridge(ipc: BridgeIpc): TaskdeckBridge {
  const invokers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of OPERATION_NAMES) {
    const channel = operationChannel(name);
    invokers[name] = (input: unknown) => ipc.invoke(channel, input ?? {}).catch(transportError);
  }
  const subscribe = (topic: TopicName, listener: (payload: unknown) => void): (() => void) => {
    if (!isTopicName(topic)) throw new Error(`Unknown topic "${String(topic)}"`);
    if (typeof listener !== 'function') throw new Error('subscribe needs a listener function');
    const channel = topicChannel(topic);
    const wrapped = (_event: unknown, payload: unknown): void => listener(payload);
    ipc.on(channel, wrapped);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      ipc.removeListener(channel, wrapped);
    };
  };
  // The cast is sound: `invokers` has one entry per OPERATION_NAMES entry, each returning the envelope.
  return Object.freeze({ ...invokers, subscribe, transport: 'ipc' }) as unknown as TaskdeckBridge;
}
