#!/usr/bin/env node
// The `taskdeck` command. Prefers the built CLI (out/main/cli.js, from `npm run build`); in a
// development checkout without a build it runs the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../out/main/cli.js', import.meta.url);

if (existsSync(fileURLToPath(built))) {
  await import(built.href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  }
  if (register) {
    register();
    await import(new URL('../main/cli/index.ts', import.meta.url).href);
  } else {
    process.stderr.write(
      'taskdeck: the CLI is not built. Run `npm run build` first (out/main/cli.js is missing).\n',
    );
    process.exitCode = 1;
  }
}
