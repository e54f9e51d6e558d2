import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// ESLint replaces (not merges) a rule's options when a later block sets the same rule for a file,
// so each folder's block below spells out every restriction that applies to it.

/** Electron IPC is touched only by the transports: main/ipc (ipcMain, webContents.send) and preload. */
const IPC_ONLY_IN_TRANSPORTS = 'Electron IPC belongs in main/ipc (main side) or preload (renderer side).';
const ipcImports = ['electron', 'electron/main', 'electron/renderer', 'electron/common'].map((name) => ({
  name,
  importNames: ['ipcMain', 'ipcRenderer'],
  message: IPC_ONLY_IN_TRANSPORTS,
}));
const ipcSyntax = [
  // electron.ipcMain, require('electron').ipcRenderer, …
  { selector: 'MemberExpression[property.name=/^(ipcMain|ipcRenderer)$/]', message: IPC_ONLY_IN_TRANSPORTS },
  // win.webContents.send(…) and a WebContents named webContents: pushing to a renderer is IPC too.
  {
    selector:
      'MemberExpression[property.name=/^(send|sendToFrame|postMessage)$/]:matches([object.name="webContents"], [object.property.name="webContents"])',
    message: IPC_ONLY_IN_TRANSPORTS,
  },
];

/** Node built-ins, bare and `node:`-prefixed: the renderer and the contract run (or must run) in a browser. */
const NO_NODE =
  'renderer/ and contract/ run in a browser: no Node built-ins (ask main through the contract).';
const bareBuiltins = builtinModules.filter((name) => !name.startsWith('node:') && !name.startsWith('_'));
const builtinImports = {
  paths: bareBuiltins.map((name) => ({ name, message: NO_NODE })),
  patterns: [{ group: ['node:*'], message: NO_NODE }],
};
const escapeRe = (s) => s.replace(/[/]/g, '\\/');
const builtinSyntax = [
  {
    selector: `ImportExpression[source.value=/^(node:.*|${bareBuiltins.map(escapeRe).join('|')})$/]`,
    message: NO_NODE,
  },
];
const nodeGlobals = ['process', 'Buffer', 'require', 'module', '__dirname', '__filename', 'global'].map(
  (name) => ({ name, message: NO_NODE }),
);

/** Files that must not import Electron at all (design.md §House style 5). */
const ELECTRON_FREE = [
  'main/engine/**/*.ts',
  'main/task-definition/**/*.ts',
  'main/docker/**/*.ts',
  'main/store/**/*.ts',
  'main/cli/**/*.ts',
  'main/web/**/*.ts',
  'main/endpoints/**/*.ts',
  'main/aws/**/*.ts',
];

/** dockerode is reached only through the Docker seam (main/docker/docker-client.ts). */
const DOCKER_SEAM =
  'Use the DockerClient interface (main/docker/docker-client.ts); only main/docker/ and tests import dockerode.';
const dockerodeImports = ['dockerode', 'docker-modem'].map((name) => ({ name, message: DOCKER_SEAM }));
/** Where dockerode may be imported: the seam itself, test support and tests. */
const DOCKERODE_ALLOWED = ['main/docker/**', 'main/test-support/**', 'main/**/*.test.ts'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // A dropped promise that rejects is an unhandled rejection (which ends a Node process). `void` does
  // not handle anything, so it does not silence the rule either: add a `.catch` that reports.
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          ignoreVoid: false,
          // react-query resolves these even when the refetch fails (the error lands in the query's
          // state) unless `throwOnError` is passed, so `void qc.invalidateQueries()` is safe.
          allowForKnownSafeCalls: [
            { from: 'package', package: '@tanstack/query-core', name: ['invalidateQueries', 'refetch'] },
          ],
        },
      ],
    },
  },
  // IPC boundary: everywhere but the two transports.
  {
    files: ['**/*.{ts,tsx}'],
    ignores: ['main/ipc/**', 'preload/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ipcImports }],
      'no-restricted-syntax': ['error', ...ipcSyntax],
    },
  },
  // Layering (design.md §House style 5).
  {
    files: ['contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: builtinImports.paths,
          patterns: [
            ...builtinImports.patterns,
            {
              group: [
                'electron',
                'electron/*',
                'react',
                'react-dom',
                'dockerode',
                '../main/*',
                '../renderer/*',
              ],
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...ipcSyntax, ...builtinSyntax],
      'no-restricted-globals': ['error', ...nodeGlobals],
    },
  },
  {
    files: ELECTRON_FREE,
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['electron/*'] }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: builtinImports.paths,
          patterns: [
            ...builtinImports.patterns,
            { group: ['electron', 'electron/*', 'dockerode', '**/main/**', '**/preload/**'] },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...ipcSyntax, ...builtinSyntax],
      'no-restricted-globals': ['error', ...nodeGlobals],
    },
  },
  // The Docker seam (restating each folder's restrictions: later blocks replace rule options).
  {
    files: ['main/**/*.ts'],
    ignores: [...ELECTRON_FREE, 'main/ipc/**', ...DOCKERODE_ALLOWED],
    rules: { 'no-restricted-imports': ['error', { paths: [...ipcImports, ...dockerodeImports] }] },
  },
  {
    files: ['main/ipc/**/*.ts'],
    ignores: DOCKERODE_ALLOWED,
    rules: { 'no-restricted-imports': ['error', { paths: dockerodeImports }] },
  },
  {
    files: ELECTRON_FREE,
    ignores: DOCKERODE_ALLOWED,
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['electron', ...dockerodeImports], patterns: ['electron/*', 'dockerode/*'] },
      ],
    },
  },
);
