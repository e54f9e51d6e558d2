/** Serves the built renderer (`out/renderer`) with an SPA fallback; never escapes the root. */
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** A file to send. */
export interface StaticFile {
  readonly body: Buffer;
  readonly contentType: string;
  readonly isIndex: boolean;
}

/** Resolves a URL path under `root`; unknown paths without an extension get index.html. */
export async function loadStaticFile(root: string, pathname: string): Promise<StaticFile | undefined> {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const full = normalize(join(root, rel));
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  const tryFile = async (path: string): Promise<Buffer | undefined> => {
    try {
      const s = await stat(path);
      return s.isFile() ? await readFile(path) : undefined;
    } catch {
      return undefined;
    }
  };
  const direct = rel === '/' || rel === '' ? undefined : await tryFile(full);
  if (direct) {
    const ext = extname(full).toLowerCase();
    return { body: direct, contentType: MIME[ext] ?? 'application/octet-stream', isIndex: ext === '.html' };
  }
  if (extname(rel) !== '') return undefined;
  const index = await tryFile(join(root, 'index.html'));
  return index ? { body: index, contentType: MIME['.html'] ?? 'text/html', isIndex: true } : undefined;
}
