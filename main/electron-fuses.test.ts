import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The packaged binary's fuses come from electron-builder.json (`electronFuses`), flipped by
 * electron-builder at packaging time. No Electron binary exists on the test machine, so this reads
 * the config the packager will use and checks every security-relevant fuse.
 */
const config = JSON.parse(readFileSync(new URL('../electron-builder.json', import.meta.url), 'utf8')) as {
  asar?: unknown;
  electronFuses?: Record<string, unknown>;
  files?: unknown;
};

describe('electron-builder.json fuses', () => {
  it.each([
    // ELECTRON_RUN_AS_NODE would turn the signed app into a general-purpose node binary.
    ['runAsNode', false],
    // NODE_OPTIONS (e.g. --require) would inject code into the main process.
    ['enableNodeOptionsEnvironmentVariable', false],
    // --inspect / --inspect-brk would open a debugger on the main process.
    ['enableNodeCliInspectArguments', false],
    // app.asar must match the hash embedded at packaging time (macOS, Windows).
    ['enableEmbeddedAsarIntegrityValidation', true],
    // …and the app is loaded only from that archive, never from a loose app/ folder beside it.
    ['onlyLoadAppFromAsar', true],
    ['enableCookieEncryption', true],
    // The renderer is served from app://, so file:// needs none of its extra privileges.
    ['grantFileProtocolExtraPrivileges', false],
  ])('sets %s to %s', (fuse, value) => {
    expect(config.electronFuses?.[fuse]).toBe(value);
  });

  it('packages into an asar archive (integrity validation needs one)', () => {
    expect(config.asar).toBe(true);
  });

  it('ships only the built output, not sources or tests', () => {
    expect(config.files).toEqual(['out/**', 'package.json']);
  });
});
