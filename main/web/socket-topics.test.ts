/** `/ws?topics=…&logsOf=…`: a socket gets only the topics (and the one task's log lines) it asked for. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LogLine } from '../../contract/dto.js';
import { unpackLogLines } from '../../contract/log-wire.js';
import type { ApiHandlers } from '../../contract/operations.js';
import { TOPIC_NAMES } from '../../contract/topics.js';
import { WEB_SOCKET_PROTOCOL, WEB_SOCKET_TOKEN_PREFIX } from '../../contract/web-session.js';
import type { DockerSession } from '../services/docker-session.js';
import { createTopicBus, type TopicBus } from '../services/topic-bus.js';
import { parseSocketTopics } from './socket-topics.js';
import { startWebServer, type WebServer } from './web-server.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const line = (taskId: string, seq: number): LogLine => ({
  taskId,
  container: 'app',
  stream: 'stdout',
  time: '2026-01-01T00:00:00.000Z',
  seq,
  text: `line ${seq}`,
});

describe('parseSocketTopics', () => {
  it('defaults to every topic and every task', () => {
    expect(parseSocketTopics('/ws')).toEqual({ topics: TOPIC_NAMES, logsOf: undefined });
  });
  it('reads a topic list and a task', () => {
    expect(parseSocketTopics(`/ws?topics=logs:lines,logs:lines&logsOf=${A}`)).toEqual({
      topics: ['logs:lines'],
      logsOf: A,
    });
    expect(parseSocketTopics('/ws?topics=')).toEqual({ topics: [], logsOf: undefined });
  });
  it('names the bad parameter', () => {
    expect(parseSocketTopics('/ws?topics=logs:lines,nope')).toEqual({
      error: 'topics: unknown topic "nope"',
    });
    expect(parseSocketTopics('/ws?logsOf=../x')).toEqual({ error: 'logsOf: not a task id' });
    expect(parseSocketTopics('/ws?logFormat=zip')).toEqual({ error: 'logFormat: expected "packed"' });
  });
  it('reads the packed log format', () => {
    expect(parseSocketTopics(`/ws?topics=logs:lines&logsOf=${A}&logFormat=packed`)).toEqual({
      topics: ['logs:lines'],
      logsOf: A,
      packed: true,
    });
  });
});

describe('web server topic selection', () => {
  let server: WebServer;
  let dir: string;
  let bus: TopicBus;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'taskdeck-web-topics-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    bus = createTopicBus(5);
    const docker = {
      status: () => ({ connected: true, endpoint: 'x', source: 'default' }),
    } as unknown as DockerSession;
    server = await startWebServer({
      runtime: { handlers: {} as ApiHandlers, bus, docker },
      rendererDir: dir,
      token: 'c'.repeat(32),
    });
  });

  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const connect = async (query: string) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, [
      WEB_SOCKET_PROTOCOL,
      `${WEB_SOCKET_TOKEN_PREFIX}${server.token}`,
    ]);
    const got: { topic: string; payload: unknown }[] = [];
    ws.on('message', (raw) => got.push(JSON.parse(raw.toString()) as { topic: string; payload: unknown }));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return { ws, got };
  };

  it("pushes only the topics asked for, and only the named task's log lines", async () => {
    const all = await connect('');
    const logs = await connect(`?topics=logs:lines&logsOf=${A}`);
    const others = await connect('?topics=tasks:changed,docker:status');
    bus.queueLogs([line(A, 1), line(B, 2), line(A, 3)]);
    bus.queueLogs([line(B, 4)]);
    bus.flush();
    bus.publish('pull:progress', []);
    // The unfiltered socket saw everything (status, lines, progress): the others have had their turn.
    await expect
      .poll(() => all.got.map((m) => m.topic))
      .toEqual(['docker:status', 'logs:lines', 'pull:progress']);
    expect(logs.got).toEqual([{ topic: 'logs:lines', payload: [line(A, 1), line(A, 3)] }]);
    expect(others.got.map((m) => m.topic)).toEqual(['docker:status']);
    for (const s of [all, logs, others]) s.ws.close();
  });

  it("sends a packed socket the task's log lines packed", async () => {
    const packed = await connect(`?topics=logs:lines&logsOf=${A}&logFormat=packed`);
    const lines = [line(A, 1), { ...line(A, 3), container: 'side', stream: 'stderr' as const }];
    bus.queueLogs([lines[0]!, line(B, 2), lines[1]!]);
    bus.flush();
    await expect.poll(() => packed.got.length).toBe(1);
    const m = packed.got[0] as unknown as { topic: string; packed: unknown; payload?: unknown };
    expect(m.topic).toBe('logs:lines');
    expect(m.payload).toBeUndefined();
    expect(unpackLogLines(A, m.packed)).toEqual(lines);
    packed.ws.close();
  });

  it('refuses a socket with a bad parameter, naming it', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?topics=nope`, [
      WEB_SOCKET_PROTOCOL,
      `${WEB_SOCKET_TOKEN_PREFIX}${server.token}`,
    ]);
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => resolve(-1));
    });
    expect(status).toBe(400);
  });
});
