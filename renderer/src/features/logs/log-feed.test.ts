import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../../../contract/dto.js';
import { chunkText } from './log-chunk.js';
import { LogFeed, type FeedEnv, type FeedOutput } from './log-feed.js';

const TASK = 't1';
const line = (seq: number): LogLine => ({
  taskId: TASK,
  container: 'app',
  stream: 'stdout',
  time: '2026-01-01T00:00:00.000Z',
  seq,
  text: `line ${seq}`,
});
const frame = (...seqs: number[]) => JSON.stringify({ topic: 'logs:lines', payload: seqs.map(line) });

/** A scripted socket and server: the test opens, closes and answers by hand. */
function harness() {
  const sockets: {
    url: string;
    protocols: readonly string[];
    ws: Partial<WebSocket> & { closed?: boolean };
  }[] = [];
  const fetches: { resolve: (lines: LogLine[]) => void }[] = [];
  const timers: (() => void)[] = [];
  const env: FeedEnv = {
    openSocket(url, protocols) {
      const ws: Partial<WebSocket> & { closed?: boolean } = {
        close() {
          ws.closed = true;
        },
      };
      sockets.push({ url, protocols, ws });
      return ws as WebSocket;
    },
    fetch: () =>
      new Promise((resolve) =>
        fetches.push({ resolve: (lines) => resolve({ json: async () => ({ ok: true, value: lines }) }) }),
      ),
    setTimeout: (fn) => timers.push(fn),
    clearTimeout: () => {},
  };
  const out: FeedOutput[] = [];
  const feed = new LogFeed(
    {
      taskId: TASK,
      socket: { url: 'ws://h/ws?topics=logs:lines&logsOf=t1', protocols: ['p', 'taskdeck.token.x'] },
      history: { url: 'http://h/api/tasks:logs', init: { method: 'POST', headers: {}, body: '{}' } },
    },
    (o) => out.push(o),
    env,
  );
  const seqs = () =>
    out.flatMap((o) =>
      o.kind === 'chunk' ? Array.from({ length: o.chunk.count }, (_, i) => chunkText(o.chunk, i)) : [],
    );
  const tick = () => new Promise((r) => setTimeout(r, 0));
  const open = (k: number) => (sockets[k]!.ws.onopen as () => void)();
  const push = (k: number, data: string) => (sockets[k]!.ws.onmessage as (ev: unknown) => void)({ data });
  const close = (k: number) => (sockets[k]!.ws.onclose as () => void)();
  return { feed, sockets, fetches, timers, out, seqs, tick, open, push, close };
}

describe('LogFeed', () => {
  it('asks for history only once its socket is open, and holds live lines until it arrives', async () => {
    const h = harness();
    h.feed.start();
    expect(h.sockets[0]!.url).toBe('ws://h/ws?topics=logs:lines&logsOf=t1');
    expect(h.sockets[0]!.protocols).toEqual(['p', 'taskdeck.token.x']);
    expect(h.fetches).toHaveLength(0);
    h.open(0);
    expect(h.fetches).toHaveLength(1);
    h.push(0, frame(3, 4));
    expect(h.seqs()).toEqual([]);
    h.fetches[0]!.resolve([line(1), line(2), line(3)]);
    await h.tick();
    expect(h.seqs()).toEqual(['line 1', 'line 2', 'line 3', 'line 4']);
    expect(h.out.filter((o) => o.kind === 'loaded')).toEqual([{ kind: 'loaded' }]);
    h.push(0, frame(5));
    expect(h.seqs().at(-1)).toBe('line 5');
  });

  it('reconnects after a lost socket and fills the gap from the history, without duplicates', async () => {
    const h = harness();
    h.feed.start();
    h.open(0);
    h.fetches[0]!.resolve([line(1), line(2)]);
    await h.tick();
    h.close(0);
    expect(h.timers).toHaveLength(1);
    h.timers[0]!();
    h.open(1);
    h.push(1, frame(6));
    h.fetches[1]!.resolve([line(1), line(2), line(3), line(4), line(5)]);
    await h.tick();
    expect(h.seqs()).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
    expect(h.out.filter((o) => o.kind === 'loaded')).toHaveLength(1);
  });

  it('a resync from the server (it dropped lines for this socket) refetches the gap, without duplicates', async () => {
    const h = harness();
    h.feed.start();
    h.open(0);
    h.fetches[0]!.resolve([line(1), line(2)]);
    await h.tick();
    // Lines 3–5 were dropped by the server; it says so once the socket drained, then 6 arrives.
    h.push(0, JSON.stringify({ resync: { dropped: 3 } }));
    expect(h.fetches).toHaveLength(2);
    h.push(0, frame(6));
    expect(h.seqs().at(-1)).toBe('line 2');
    h.fetches[1]!.resolve([1, 2, 3, 4, 5, 6].map(line));
    await h.tick();
    expect(h.seqs()).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
    expect(h.sockets).toHaveLength(1);
  });

  it('shows the history even when the socket never opens, and stops for good', async () => {
    const h = harness();
    h.feed.start();
    h.close(0);
    h.fetches[0]!.resolve([line(1)]);
    await h.tick();
    expect(h.seqs()).toEqual(['line 1']);
    h.feed.stop();
    expect(h.sockets[0]!.ws.closed).toBe(true);
  });
});
