import { describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { hardenWebContents } from './security.js';

type OpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

/** The slice of WebContents that hardenWebContents touches, recording what it registers. */
function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
  let openHandler: OpenHandler | undefined;
  const contents = {
    on: (name: string, listener: (event: { preventDefault(): void }, url?: string) => void) => {
      listeners.set(name, listener);
      return contents;
    },
    setWindowOpenHandler: (handler: OpenHandler) => {
      openHandler = handler;
    },
  };
  return {
    contents: contents as unknown as WebContents,
    windowOpen: (url: string) => openHandler!({ url }),
    navigate: (url: string) => {
      const preventDefault = vi.fn();
      listeners.get('will-navigate')!({ preventDefault }, url);
      return preventDefault.mock.calls.length > 0;
    },
  };
}

describe('hardenWebContents', () => {
  it('opens a port link (target=_blank) in the default browser and never in a new app window', () => {
    const fake = fakeContents();
    const openExternal = vi.fn(async () => undefined);
    hardenWebContents(fake.contents, undefined, openExternal);
    expect(fake.windowOpen('http://localhost:8080/')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('http://localhost:8080/');
  });

  it('denies every other new window without opening anything', () => {
    const fake = fakeContents();
    const openExternal = vi.fn(async () => undefined);
    hardenWebContents(fake.contents, undefined, openExternal);
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'http://user@localhost:1/']) {
      expect(fake.windowOpen(url)).toEqual({ action: 'deny' });
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('still blocks navigation away from the app, port links included', () => {
    const fake = fakeContents();
    hardenWebContents(
      fake.contents,
      undefined,
      vi.fn(async () => undefined),
    );
    expect(fake.navigate('http://localhost:8080/')).toBe(true);
    expect(fake.navigate('app://taskdeck/index.html')).toBe(false);
  });
});
