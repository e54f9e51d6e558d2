import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Runs the repository's own eslint.config.js on small snippets placed in the repo's folder layout
 * (in a scratch directory, so the source tree is never touched), so the boundary rules are checked
 * as configured, not as a copy. Type-aware rules need the snippets on disk under a tsconfig.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

const SAVE = 'async function save(): Promise<void> { throw new Error("disk full"); }\n';
const IMPORT_IPC_MAIN = "import { ipcMain } from 'electron';\nexport const m = ipcMain;\n";
const IMPORT_IPC_RENDERER = "import { ipcRenderer } from 'electron';\nexport const r = ipcRenderer;\n";
const SENDS = [
  "import type { BrowserWindow, WebContents } from 'electron';",
  "export function a(win: BrowserWindow): void { win.webContents.send('ch', 1); }",
  "export function b(webContents: WebContents): void { webContents.send('ch', 1); }",
  "export function c(win: BrowserWindow): void { win.webContents.postMessage('ch', 1); }",
  '',
].join('\n');
const IMPORT_DOCKERODE = "import Docker from 'dockerode';\nexport const D = Docker;\n";
const NODE_USES = [
  "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;\n",
  "import fs from 'fs';\nexport const r = fs;\n",
  "import { readFile } from 'fs/promises';\nexport const r = readFile;\n",
  "import { join } from 'path/posix';\nexport const j = join;\n",
  "export * from 'child_process';\n",
  "export const m = import('node:child_process');\n",
  "export const m = import('os');\n",
  'export const e = process.env;\n',
  "export const b = Buffer.from('x');\n",
];

/** Snippet files by path (relative to the scratch root, mirroring the repo's folders). */
const files: Record<string, string> = {
  'main/window/ipc-main.ts': IMPORT_IPC_MAIN,
  'main/services/ipc-renderer.ts': IMPORT_IPC_RENDERER,
  'main/electron-main-subpath.ts': "import { ipcMain } from 'electron/main';\nexport const m = ipcMain;\n",
  'main/window/namespace.ts': "import * as electron from 'electron';\nexport const m = electron.ipcMain;\n",
  'main/window/sends.ts': SENDS,
  'main/ipc/ipc-main.ts': IMPORT_IPC_MAIN,
  'main/ipc/sends.ts': SENDS,
  'preload/ipc-renderer.ts': IMPORT_IPC_RENDERER,
  'main/store/node.ts':
    "import { readFileSync } from 'node:fs';\nimport path from 'path';\nexport const r = [readFileSync, path, process.env];\n",
  'renderer/src/browser.ts':
    "export const u = new URL('http://localhost/');\nexport const t = new TextEncoder();\n",
  'main/store/floating.ts': `${SAVE}export function a(): void { save(); }\n`,
  'main/engine/floating-void.ts': `${SAVE}export function a(): void { void save(); }\n`,
  'renderer/src/floating-void.ts': `${SAVE}export function a(): void { void save(); }\n`,
  'main/store/handled.ts': `${SAVE}export function a(): void { save().catch((err: unknown) => console.error(err)); }\n`,
  'main/store/awaited.ts': `${SAVE}export async function a(): Promise<void> { await save(); }\n`,
  'main/engine/dockerode.ts': IMPORT_DOCKERODE,
  'main/services/dockerode.ts': IMPORT_DOCKERODE,
  'main/ipc/dockerode.ts': IMPORT_DOCKERODE,
  'main/engine/electron-app.ts': "import { app } from 'electron';\nexport const a = app;\n",
  'main/docker/dockerode.ts': IMPORT_DOCKERODE,
  'main/test-support/dockerode.ts': IMPORT_DOCKERODE,
  'main/engine/dockerode.test.ts': IMPORT_DOCKERODE,
};
NODE_USES.forEach((code, i) => {
  files[`renderer/src/node-${i}.ts`] = code;
  files[`contract/node-${i}.ts`] = code;
});

let scratch: string;
const results = new Map<string, string[]>();

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'taskdeck-lint-'));
  await symlink(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  await writeFile(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({ extends: join(root, 'tsconfig.json'), include: ['**/*.ts'], exclude: ['node_modules'] }),
  );
  for (const [path, code] of Object.entries(files)) {
    await mkdir(dirname(join(scratch, path)), { recursive: true });
    await writeFile(join(scratch, path), code);
  }
  // `files` globs in the config resolve against cwd, so the scratch layout mirrors the repo's.
  const eslint = new ESLint({ cwd: scratch, overrideConfigFile: join(root, 'eslint.config.js') });
  for (const result of await eslint.lintFiles(Object.keys(files))) {
    const path = result.filePath.slice(scratch.length + 1);
    // A parse or config error (ruleId null) would make every "does not fire" case pass vacuously.
    expect(
      result.messages.filter((m) => m.ruleId === null),
      path,
    ).toEqual([]);
    results.set(
      path,
      result.messages.map((m) => m.ruleId ?? ''),
    );
  }
}, 300_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** Rule ids reported for the snippet at `path`. */
function ruleIds(path: string): string[] {
  const ids = results.get(path);
  if (!ids) throw new Error(`${path} was not linted`);
  return ids;
}

describe('Electron IPC stays in main/ipc and preload', () => {
  it('refuses ipcMain / ipcRenderer imports elsewhere in main', () => {
    expect(ruleIds('main/window/ipc-main.ts')).toContain('no-restricted-imports');
    expect(ruleIds('main/services/ipc-renderer.ts')).toContain('no-restricted-imports');
    expect(ruleIds('main/electron-main-subpath.ts')).toContain('no-restricted-imports');
  });

  it('refuses ipcMain reached through a namespace import', () => {
    expect(ruleIds('main/window/namespace.ts')).toContain('no-restricted-syntax');
  });

  it('refuses webContents.send / postMessage outside main/ipc', () => {
    expect(ruleIds('main/window/sends.ts').filter((id) => id === 'no-restricted-syntax')).toHaveLength(3);
  });

  it('allows all of it in main/ipc and preload', () => {
    expect(ruleIds('main/ipc/ipc-main.ts')).toEqual([]);
    expect(ruleIds('main/ipc/sends.ts')).toEqual([]);
    expect(ruleIds('preload/ipc-renderer.ts')).toEqual([]);
  });
});

describe('no Node built-ins in renderer/ and contract/', () => {
  const expected = [
    'no-restricted-imports',
    'no-restricted-imports',
    'no-restricted-imports',
    'no-restricted-imports',
    'no-restricted-imports',
    'no-restricted-syntax',
    'no-restricted-syntax',
    'no-restricted-globals',
    'no-restricted-globals',
  ];
  it.each(NODE_USES.map((code, i) => [code, i, expected[i]] as const))(
    'renderer and contract refuse %j',
    (_code, i, rule) => {
      expect(ruleIds(`renderer/src/node-${i}.ts`)).toContain(rule);
      expect(ruleIds(`contract/node-${i}.ts`)).toContain(rule);
    },
  );

  it('main may use them', () => {
    expect(ruleIds('main/store/node.ts')).toEqual([]);
  });

  it('renderer may still use browser APIs', () => {
    expect(ruleIds('renderer/src/browser.ts')).toEqual([]);
  });
});

describe('@typescript-eslint/no-floating-promises', () => {
  it('flags a promise that is dropped, including with `void`', () => {
    expect(ruleIds('main/store/floating.ts')).toContain('@typescript-eslint/no-floating-promises');
    expect(ruleIds('main/engine/floating-void.ts')).toContain('@typescript-eslint/no-floating-promises');
    expect(ruleIds('renderer/src/floating-void.ts')).toContain('@typescript-eslint/no-floating-promises');
  });

  it('accepts a promise whose rejection is handled or awaited', () => {
    expect(ruleIds('main/store/handled.ts')).toEqual([]);
    expect(ruleIds('main/store/awaited.ts')).toEqual([]);
  });
});

describe('dockerode only behind the Docker seam', () => {
  it('refuses dockerode in production code outside main/docker', () => {
    expect(ruleIds('main/engine/dockerode.ts')).toContain('no-restricted-imports');
    expect(ruleIds('main/services/dockerode.ts')).toContain('no-restricted-imports');
    expect(ruleIds('main/ipc/dockerode.ts')).toContain('no-restricted-imports');
  });

  it("keeps the folders' other restrictions", () => {
    expect(ruleIds('main/engine/electron-app.ts')).toContain('no-restricted-imports');
    expect(ruleIds('main/services/ipc-renderer.ts')).toContain('no-restricted-imports');
  });

  it('allows it in main/docker, test support and tests', () => {
    expect(ruleIds('main/docker/dockerode.ts')).toEqual([]);
    expect(ruleIds('main/test-support/dockerode.ts')).toEqual([]);
    expect(ruleIds('main/engine/dockerode.test.ts')).toEqual([]);
  });
});
