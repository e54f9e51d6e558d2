/**
 * Issue 11 (14): a WebSocket client that stops reading gets back-pressure, not an unbounded server
 * buffer: pushes are dropped past a bound, and once the client reads again it is told to resync
 * (and can re-fetch the logs it missed); pushes then flow again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LogLine } from '../../contract/dto.js';
import type { ApiHandlers } from '../../contract/operations.js';
import type { DockerSession } from '../services/docker-session.js';
import { createTopicBus } from '../services/topic-bus.js';
import { startWebServer, type WebServer } from './web-server.js';

const TOKEN = 'a'.repeat(43);
const HIGH_WATER = 1024 * 1024;
let server: WebServer;
let dir: string;
const bus = createTopicBus(5);
const stored: LogLine[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'taskdeck-web-bp-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  const handlers = {
    'tasks:logs': async ({ afterSeq }: { afterSeq?: number }) =>
      stored.filter((l) => l.seq > (afterSeq ?? -1)).slice(-100),
  } as unknown as ApiHandlers;
  const docker = {
    status: () => ({ connected: true, endpoint: 'x', source: 'default' }),
  } as unknown as DockerSession;
  server = await startWebServer({
    runtime: { handlers, bus, docker },
    rendererDir: dir,
    token: TOKEN,
    pushLimits: { highWaterBytes: HIGH_WATER, checkMs: 20 },
  });
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const batch = (from: number, n: number): LogLine[] =>
  Array.from({ length: n }, (_, i) => ({
    taskId: 't1',
    seq: from + i,
    container: 'app',
    stream: 'stdout' as const,
    time: '2026-01-01T00:00:00.000000001Z',
    text: `line ${from + i} ${'y'.repeat(100)}`,
  }));

/** Resolves with the first message `pred` accepts (bounded, with a clear error). */
function nextMessage(ws: WebSocket, pred: (m: Record<string, unknown>) => boolean, what: string) {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} message`)), 60_000);
    const onMessage = (raw: WebSocket.RawData) => {
      const m = JSON.parse(raw.toString()) as Record<string, unknown>;
      if (!pred(m)) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(m);
    };
    ws.on('message', onMessage);
  });
}

it('drops pushes for a client that stops reading, then tells it to resync', async () => {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`, ['taskdeck.v1', `taskdeck.token.${TOKEN}`], {
    headers: { Origin: server.origin },
  });
  await nextMessage(ws, (m) => m.topic === 'docker:status', 'docker:status');
  ws.pause(); // the client stops reading; the server keeps publishing

  let backlog = 0;
  const BATCHES = 300; // 300 × 2000 lines ≈ 80 MB of JSON
  let seq = 1;
  for (let i = 0; i < BATCHES; i++) {
    const lines = batch(seq, 2000);
    seq += lines.length;
    stored.push(...lines);
    bus.publish('logs:lines', lines);
    backlog = Math.max(backlog, server.pushBacklogBytes());
  }
  // Bounded by the high-water mark plus one message (~250 KB), not by what was published.
  expect(backlog).toBeGreaterThan(HIGH_WATER / 2);
  expect(backlog).toBeLessThan(2 * HIGH_WATER);

  const resync = nextMessage(ws, (m) => 'resync' in m, 'resync');
  const seen: number[] = [];
  ws.on('message', (raw) => {
    const m = JSON.parse(raw.toString()) as { topic?: string; payload?: LogLine[] };
    if (m.topic === 'logs:lines') seen.push(m.payload!.at(-1)!.seq);
  });
  ws.resume();
  const r = (await resync) as { resync: { dropped: number } };
  expect(r.resync.dropped).toBeGreaterThan(BATCHES / 2);
  const lastSeen = seen.at(-1) ?? 0;
  expect(lastSeen).toBeLessThan(seq - 1); // the tail was dropped, not delivered late

  // The client re-fetches what it missed, and live pushes flow again.
  const res = await fetch(`${server.origin}/api/tasks:logs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-taskdeck-token': TOKEN, Origin: server.origin },
    body: JSON.stringify({ taskId: 't1', afterSeq: lastSeen }),
  });
  const refetched = (await res.json()) as { ok: boolean; value: LogLine[] };
  expect(refetched.value.at(-1)?.seq).toBe(seq - 1);
  const live = nextMessage(ws, (m) => m.topic === 'logs:lines', 'live logs after the resync');
  bus.publish('logs:lines', batch(seq, 1));
  expect(((await live).payload as LogLine[])[0]!.seq).toBe(seq);
  ws.close();
}, 120_000);
