/** Finds the built renderer: next to the bundled CLI (out/main → out/renderer), else ./out/renderer. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The first candidate directory holding an index.html (or the first candidate, to report it). */
export function findRendererDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    resolve(here, '../renderer'),
    resolve(here, '../../out/renderer'),
    resolve('out/renderer'),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? (candidates[0] as string);
}
