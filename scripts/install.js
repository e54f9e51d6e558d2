#!/usr/bin/env node
// First-time install: `npm ci`, downloading Electron's binary as usual. Where that download is
// impossible (offline machines, CI), install again without it: `npm start` then opens the same
// app in the browser (web mode) instead of an Electron window.
import { spawnSync } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (env) =>
  spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit', env: { ...process.env, ...env } });

let result = run({});
if (result.status !== 0 && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  process.stderr.write(
    '\ntaskdeck: `npm ci` failed (most often: the Electron binary could not be downloaded).\n' +
      '  Installing again without it; `npm start` will open Taskdeck in your browser instead.\n\n',
  );
  result = run({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
}
process.exit(result.status ?? 1);
