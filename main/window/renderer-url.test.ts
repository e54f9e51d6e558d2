import { describe, expect, it } from 'vitest';
import { rendererUrl } from './renderer-url.js';

const DEV = 'http://localhost:5173/';

describe('rendererUrl', () => {
  it('uses ELECTRON_RENDERER_URL in an unpackaged (dev) run', () => {
    expect(rendererUrl({ isPackaged: false, env: { ELECTRON_RENDERER_URL: DEV } })).toBe(DEV);
  });

  it('ignores ELECTRON_RENDERER_URL in a packaged app: anyone who can set env must not swap the UI', () => {
    expect(rendererUrl({ isPackaged: true, env: { ELECTRON_RENDERER_URL: DEV } })).toBeUndefined();
    expect(rendererUrl({ isPackaged: true, env: { ELECTRON_RENDERER_URL: 'https://evil.example/' } })).toBe(
      undefined,
    );
  });

  it('is undefined without the variable (the app:// origin is used)', () => {
    expect(rendererUrl({ isPackaged: false, env: {} })).toBeUndefined();
    expect(rendererUrl({ isPackaged: false, env: { ELECTRON_RENDERER_URL: '' } })).toBeUndefined();
  });

  it('ignores a value that is not an http(s) URL', () => {
    for (const bad of ['not a url', 'file:///tmp/index.html', 'javascript:alert(1)', 'app://taskdeck/']) {
      expect(rendererUrl({ isPackaged: false, env: { ELECTRON_RENDERER_URL: bad } })).toBeUndefined();
    }
  });
});
