import { describe, expect, it, vi } from 'vitest';
import { OPERATION_NAMES, operationChannel } from '../contract/operation-names.js';
import { topicChannel } from '../contract/topics.js';
import { buildBridge, type BridgeIpc } from './bridge.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpc() {
  const listeners = new Map<string, Set<Listener>>();
  const ipc = {
    invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } })),
    on: vi.fn((channel: string, l: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(l);
    }),
    removeListener: vi.fn((channel: string, l: Listener) => {
      listeners.get(channel)?.delete(l);
    }),
  } satisfies BridgeIpc;
  const emit = (channel: string, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'SECRET-IPC-OBJECT' }, payload);
  };
  return { ipc, emit, listeners };
}

describe('buildBridge', () => {
  it('exposes exactly one function per operation, plus subscribe and the transport name', () => {
    const bridge = buildBridge(fakeIpc().ipc);
    const keys = Object.keys(bridge).sort();
    expect(keys).toEqual([...OPERATION_NAMES, 'subscribe', 'transport'].sort());
    for (const name of OPERATION_NAMES) expect(typeof bridge[name]).toBe('function');
    expect(bridge.transport).toBe('ipc');
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('never exposes the ipc object', () => {
    const { ipc } = fakeIpc();
    const bridge = buildBridge(ipc) as unknown as Record<string, unknown>;
    for (const value of Object.values(bridge)) expect(value).not.toBe(ipc);
    expect(bridge['invoke']).toBeUndefined();
    expect(bridge['on']).toBeUndefined();
  });

  it('invokes the operation channel with the input and returns the envelope', async () => {
    const { ipc } = fakeIpc();
    const bridge = buildBridge(ipc);
    const result = await bridge['tasks:stop']({ taskId: 'abc', reason: 'bye' });
    expect(ipc.invoke).toHaveBeenCalledWith(operationChannel('tasks:stop'), { taskId: 'abc', reason: 'bye' });
    expect(result).toEqual({
      ok: true,
      value: { channel: 'taskdeck:op:tasks:stop', input: { taskId: 'abc', reason: 'bye' } },
    });
  });

  it('turns an IPC rejection into an error envelope', async () => {
    const { ipc } = fakeIpc();
    ipc.invoke.mockRejectedValueOnce(new Error('boom'));
    const result = await buildBridge(ipc)['definitions:list']({});
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'IPC failed: boom' } });
  });

  it('delivers topic payloads without the IPC event, and unsubscribes', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const bridge = buildBridge(ipc);
    const seen: unknown[][] = [];
    const off = bridge.subscribe('logs:lines', (...args: unknown[]) => seen.push(args));
    emit(topicChannel('logs:lines'), [{ text: 'hi' }]);
    expect(seen).toEqual([[[{ text: 'hi' }]]]);
    off();
    off(); // idempotent
    expect(ipc.removeListener).toHaveBeenCalledTimes(1);
    expect(listeners.get(topicChannel('logs:lines'))?.size).toBe(0);
    emit(topicChannel('logs:lines'), [{ text: 'again' }]);
    expect(seen).toHaveLength(1);
  });

  it('rejects unknown topics', () => {
    const bridge = buildBridge(fakeIpc().ipc);
    expect(() => bridge.subscribe('nope:topic' as 'logs:lines', () => undefined)).toThrow(/Unknown topic/);
  });
});
