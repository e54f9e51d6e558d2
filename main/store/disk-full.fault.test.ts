/**
 * Issue 11 (12): a full disk is a visible degraded state, never the end of the web server. The
 * data dir is a tiny tmpfs this test mounts (root) and fills; the real web server on the real
 * runtime keeps answering, shows "cannot save task history: disk full" on `docker:status`, still
 * stops the running (chatty) task, and saves its history again once space is freed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import type { DockerConnectionStatus, TaskDetail } from '../../contract/dto.js';
import { createAppRuntime, type AppRuntime } from '../composition-root.js';
import { startWebServer, type WebServer } from '../web/web-server.js';
import { leftovers, NOTHING_LEFT, TEST_IMAGE } from '../test-support/engine-fixture.js';

const run = promisify(execFile);
const TOKEN = 'd'.repeat(20) + 'F'.repeat(23);
const CHATTY = JSON.stringify({
  family: 'disk-full-chatty',
  memory: '256',
  containerDefinitions: [
    {
      name: 'chatty',
      image: TEST_IMAGE,
      essential: true,
      command: [
        'sh',
        '-c',
        'i=0; while true; do echo "line $i of a chatty container"; i=$((i+1)); sleep 0.01; done',
      ],
    },
  ],
});

let mountDir: string;
let rendererDir: string;
let runtime: AppRuntime | undefined;
let server: WebServer | undefined;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

beforeAll(async () => {
  mountDir = await mkdtemp(join(tmpdir(), 'taskdeck-diskfull-'));
  await run('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', mountDir]);
  rendererDir = await mkdtemp(join(tmpdir(), 'taskdeck-diskfull-renderer-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
  // A failed run must not leave its chatty task running on the shared daemon.
  await Promise.race([
    runtime?.docker.maybeEngine()?.stopAll('test teardown'),
    new Promise((r) => setTimeout(r, 90_000)),
  ]);
  await server?.close();
  await runtime?.close();
  await run('umount', ['-l', mountDir]).catch(() => {});
  await rm(mountDir, { recursive: true, force: true });
  await rm(rendererDir, { recursive: true, force: true });
});

async function api<T>(op: string, input: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${server!.port}/api/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-taskdeck-token': TOKEN },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${op}: ${body.error?.message}`);
  return body.value as T;
}

/** Fills the file system until it refuses more (ENOSPC). */
async function fill(file: string): Promise<void> {
  const chunk = Buffer.alloc(64 * 1024, 120);
  let size = 0;
  const { open } = await import('node:fs/promises');
  const fh = await open(file, 'w');
  try {
    for (;;) {
      await fh.write(chunk);
      size += chunk.length;
      if (size > 64 * 1024 * 1024) throw new Error('the tmpfs never filled up');
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    await fh.close().catch(() => {});
  }
}

test('disk full: the server keeps running, shows the degraded state, manages the task, and saves again once space is freed', async () => {
  runtime = await createAppRuntime({ mode: 'web', dataDir: mountDir, notice: () => {} });
  server = await startWebServer({ runtime, rendererDir, token: TOKEN });
  await vi.waitFor(
    async () => expect((await api<DockerConnectionStatus>('docker:status', {})).connected).toBe(true),
    {
      timeout: 60_000,
      interval: 200,
    },
  );
  const def = await api<{ id: string }>('definitions:import', { text: CHATTY, fileName: 'chatty.json' });
  const [task] = await api<TaskDetail[]>('tasks:run', { definitionId: def.id, count: 1 });
  const taskId = task!.taskId;
  await vi.waitFor(
    async () => expect((await api<TaskDetail>('tasks:get', { taskId })).lastStatus).toBe('RUNNING'),
    {
      timeout: 60_000,
      interval: 200,
    },
  );

  const filler = join(mountDir, 'filler');
  await fill(filler);
  // The chatty container's next log lines hit the full disk.
  const degraded = await vi.waitFor(
    async () => {
      const s = await api<DockerConnectionStatus>('docker:status', {});
      expect(s.storageError).toBe('cannot save task history: disk full');
      return s;
    },
    { timeout: 60_000, interval: 200 },
  );
  expect(Date.parse(degraded.storageErrorSince!)).toBeLessThanOrEqual(Date.now());
  expect(degraded.connected).toBe(true);

  // Still managed from memory: the stop is carried out, and the API shows it.
  await api('tasks:stop', { taskId, reason: 'stopped on a full disk' });
  const stopped = await vi.waitFor(
    async () => {
      const t = await api<TaskDetail>('tasks:get', { taskId });
      expect(t.lastStatus).toBe('STOPPED');
      return t;
    },
    { timeout: 90_000, interval: 250 },
  );
  expect(stopped.stoppedReason).toBe('stopped on a full disk');
  expect((await api<DockerConnectionStatus>('docker:status', {})).storageError).toBeDefined();
  const recordFile = join(mountDir, 'tasks', taskId, 'record.json');
  const onDisk = JSON.parse(await readFile(recordFile, 'utf8').catch(() => '{}')) as { lastStatus?: string };
  expect(onDisk.lastStatus).not.toBe('STOPPED');

  // Space comes back: the degraded state clears and the final record and events are saved.
  await rm(filler);
  await vi.waitFor(
    async () => expect((await api<DockerConnectionStatus>('docker:status', {})).storageError).toBeUndefined(),
    { timeout: 60_000, interval: 250 },
  );
  const saved = JSON.parse(await readFile(recordFile, 'utf8')) as { lastStatus: string };
  expect(saved.lastStatus).toBe('STOPPED');
  const events = await api<{ detail: { lastStatus: string } }[]>('tasks:events', { taskId });
  expect(events.at(-1)?.detail.lastStatus).toBe('STOPPED');
  const lines = (await readFile(join(mountDir, 'tasks', taskId, 'events.ndjson'), 'utf8')).split('\n');
  expect(lines.some((l) => l.includes('"lastStatus":"STOPPED"'))).toBe(true);

  expect(unhandled).toEqual([]);
  expect(await leftovers(new Docker(), taskId)).toEqual(NOTHING_LEFT);
});
