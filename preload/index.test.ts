import { describe, expect, it, vi } from 'vitest';

const exposed: Record<string, unknown> = {};
const fakeIpcRenderer = {
  invoke: vi.fn(async () => ({ ok: true, value: [] })),
  on: vi.fn(),
  removeListener: vi.fn(),
};

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: fakeIpcRenderer,
}));

describe('preload entry', () => {
  it('exposes only window.taskdeck, built from the bridge, never ipcRenderer', async () => {
    await import('./index.js');
    expect(Object.keys(exposed)).toEqual(['taskdeck']);
    const api = exposed['taskdeck'] as Record<string, unknown>;
    expect(Object.values(api)).not.toContain(fakeIpcRenderer);
    await (api['definitions:list'] as (i: unknown) => Promise<unknown>)({});
    expect(fakeIpcRenderer.invoke).toHaveBeenCalledWith('taskdeck:op:definitions:list', {});
  });
});
