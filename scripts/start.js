#!/usr/bin/env node
// `npm start`: builds if needed (out/ missing or older than the sources), then launches Electron.
// When the Electron binary is missing (e.g. installed with ELECTRON_SKIP_BINARY_DOWNLOAD) it says
// so and starts web mode (`taskdeck web`) instead, so the command always gives the user the app.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The Electron binary, or why there is none. */
function findElectron() {
  let expected;
  try {
    const pkgDir = dirname(require.resolve('electron/package.json'));
    const name =
      { darwin: 'Electron.app/Contents/MacOS/Electron', win32: 'electron.exe' }[process.platform] ??
      'electron';
    expected = join(pkgDir, 'dist', name);
    const path = require('electron');
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { missing: typeof path === 'string' ? path : expected };
  } catch {
    return { missing: expected ?? 'node_modules/electron (package not installed)' };
  }
}

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function needsBuild() {
  const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) =>
    join(root, p),
  );
  if (!outputs.every((p) => existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const sources = Math.max(
    ...['main', 'preload', 'renderer', 'contract'].map((d) => newestMtime(join(root, d))),
  );
  return sources > built;
}

if (needsBuild()) {
  process.stdout.write('taskdeck: building (out/ is missing or older than the sources)…\n');
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const electron = findElectron();
if (!electron.path) {
  process.stderr.write(
    `taskdeck: the Electron binary is missing (expected at ${electron.missing}).\n` +
      '  It is not downloaded when ELECTRON_SKIP_BINARY_DOWNLOAD is set, or when the download failed.\n' +
      '  Fix: `rm -rf node_modules/electron && npm install` on a machine that can download it.\n' +
      '  Starting the same app in your browser instead (web mode: `npx taskdeck web`).\n',
  );
  const web = spawn(process.execPath, [join(root, 'bin/taskdeck.js'), 'web', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  });
  web.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => web.kill(sig));
} else {
  const child = spawn(electron.path, [root, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}
