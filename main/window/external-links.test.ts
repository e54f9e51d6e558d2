import { describe, expect, it, vi } from 'vitest';
import { isAllowedExternalUrl, openExternalSafely } from './external-links.js';

describe('isAllowedExternalUrl', () => {
  it.each([
    'http://localhost:8080',
    'http://localhost:8080/',
    'http://127.0.0.1:3000/api/v1?x=1#top',
    'http://localhost:1/',
    'http://127.0.0.1:65535/a/b',
    // Chromium drops the default port when it normalises a URL, so a hostPort 80 link arrives like this.
    'http://localhost/',
  ])('accepts %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    ['https scheme', 'https://localhost:8443/'],
    ['file scheme', 'file:///etc/passwd'],
    ['javascript scheme', 'javascript:alert(1)'],
    ['custom scheme', 'ms-msdt:/id'],
    ['ws scheme', 'ws://localhost:8080/'],
    ['another host', 'http://example.com:8080/'],
    ['a LAN address', 'http://192.168.1.10:8080/'],
    ['IPv6 loopback (not what the UI links)', 'http://[::1]:8080/'],
    ['a look-alike host', 'http://localhost.evil.example:8080/'],
    ['a trailing-dot host', 'http://localhost.:8080/'],
    ['userinfo', 'http://user:pass@localhost:8080/'],
    ['userinfo hiding another host', 'http://localhost:8080@evil.example/'],
    ['port 0', 'http://localhost:0/'],
    ['port 65536', 'http://localhost:65536/'],
    ['not a URL', 'localhost:8080'],
    ['empty', ''],
  ])('rejects %s', (_why, url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
});

describe('openExternalSafely', () => {
  it('opens an allowed URL and reports true', async () => {
    const open = vi.fn(async () => undefined);
    expect(openExternalSafely('http://127.0.0.1:8080/x', open)).toBe(true);
    expect(open).toHaveBeenCalledWith('http://127.0.0.1:8080/x');
  });

  it('never calls the opener for a refused URL', () => {
    const open = vi.fn(async () => undefined);
    expect(openExternalSafely('file:///etc/passwd', open)).toBe(false);
    expect(open).not.toHaveBeenCalled();
  });

  it('hands the opener the normalised URL, not the raw string', () => {
    const open = vi.fn(async () => undefined);
    expect(openExternalSafely('HTTP://LOCALHOST:8080', open)).toBe(true);
    expect(open).toHaveBeenCalledWith('http://localhost:8080/');
  });

  it('reports a failing opener to onError instead of leaving an unhandled rejection', async () => {
    const failure = new Error('no browser');
    const onError = vi.fn();
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      expect(openExternalSafely('http://localhost:8080/', () => Promise.reject(failure), onError)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(onError).toHaveBeenCalledWith(failure);
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });
});
