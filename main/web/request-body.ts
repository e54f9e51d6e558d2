/**
 * Reads a request body with a size limit, and refuses an oversized one with a 413 the client can
 * actually read: the response goes out while the rest of the body is drained, and the connection
 * closes only afterwards. (Destroying the socket while the client is still sending makes the
 * kernel answer with a reset, and the client sees a broken connection instead of the 413.)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The body as text, or why there is none. */
export type BodyResult = { readonly text: string } | { readonly tooLarge: true };

/** Collects at most `limit` bytes; stops (pausing the request) as soon as more arrive. */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.pause();
    return Promise.resolve({ tooLarge: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        resolve({ tooLarge: true });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ text: Buffer.concat(chunks).toString('utf8') });
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** How much of an oversized body is drained (and for how long) before the socket is cut. */
const DRAIN_LIMIT = 64 * 1024 * 1024;
const DRAIN_MS = 10_000;

/** Answers 413 with `body` (JSON), drains what the client still sends, then closes the connection. */
export function refuseOversized(
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
  headers: Record<string, string>,
): void {
  const text = JSON.stringify(body);
  res.writeHead(413, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
    Connection: 'close',
  });
  // The whole response is on the wire now; `end()` (which closes the socket) waits for the drain.
  res.write(text);
  let drained = 0;
  const finish = (): void => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', finish);
    req.off('error', finish);
    res.end();
  };
  const onData = (chunk: Buffer): void => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT) finish();
  };
  const timer = setTimeout(finish, DRAIN_MS);
  timer.unref();
  if (req.readableEnded) {
    finish();
    return;
  }
  req.on('data', onData);
  req.on('end', finish);
  req.on('error', finish);
  req.resume();
}
