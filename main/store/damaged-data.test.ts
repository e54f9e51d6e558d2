/**
 * Damaged data is never lost silently: bad JSON Lines are skipped and counted, damaged whole-JSON
 * files are kept aside as `<file>.corrupt-<time>` (never overwritten) and reported.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { LogLine, TaskStateChangeEvent } from '../../contract/dto.js';
import { createDefinitionsLibrary } from '../services/definitions-library.js';
import { createLaunchRecords } from '../services/launch-records.js';
import { createSettingsStore } from '../services/settings-store.js';
import { parseTaskDefinition } from '../task-definition/parse-task-definition.js';
import { dataWarnings } from './data-warnings.js';
import { TaskStore } from './task-store.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskdeck-damaged-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const warningsAbout = (text: string) => dataWarnings().filter((w) => w.message.includes(text));

/** The files in `folder` named `<name>.corrupt-<ISO time, file-name safe>`. */
async function keptAside(folder: string, name: string): Promise<string[]> {
  const pattern = new RegExp(
    `^${name.replace('.', '\\.')}\\.corrupt-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d-\\d{3}Z$`,
  );
  return (await readdir(folder)).filter((n) => pattern.test(n));
}

const line = (seq: number): LogLine => ({
  taskId: 't1',
  seq,
  container: 'app',
  stream: 'stdout',
  time: new Date(1_700_000_000_000 + seq).toISOString(),
  text: `line ${seq}`,
});

test('a damaged line in events.ndjson is skipped and counted; the other events are read', async () => {
  const store = new TaskStore(dir);
  await store.init();
  await store.createTask('t1');
  const ev = (v: number) => ({ version: v, detail: { taskArn: 'a' } }) as unknown as TaskStateChangeEvent;
  await writeFile(
    join(dir, 'tasks', 't1', 'events.ndjson'),
    `${JSON.stringify(ev(1))}\n{"version":2,"det\n${JSON.stringify(ev(3))}\n`,
  );
  const events = await store.readEvents('t1');
  expect(events.map((e) => (e as unknown as { version: number }).version)).toEqual([1, 3]);
  expect(warningsAbout('1 damaged line skipped in the events of task t1')).toHaveLength(1);
  await store.close();
});

test('a damaged log line (a full disk mid-append) is skipped and counted; later appends still land', async () => {
  const store = new TaskStore(dir);
  await store.init();
  await store.createTask('t1');
  await store.appendLogs('t1', [line(1), line(2)]);
  await store.close();
  const file = join(dir, 'tasks', 't1', 'logs', 'app.ndjson');
  // Half a line at the end, as a write cut short by ENOSPC leaves it.
  await writeFile(file, `${await readFile(file, 'utf8')}{"q":3,"c":"ap`);
  const reopened = new TaskStore(dir);
  await reopened.appendLogs('t1', [line(4)]);
  const lines = await reopened.readLogs('t1');
  // The half line stays a line of its own (reopening ends it), so line 4 is not glued to it.
  expect(lines.map((l) => l.seq)).toEqual([1, 2, 4]);
  await reopened.appendLogs('t1', [line(5)]);
  expect((await reopened.readLogs('t1')).map((l) => l.seq)).toEqual([1, 2, 4, 5]);
  expect(warningsAbout('1 damaged log line skipped in task t1')).toHaveLength(1);
  await reopened.close();
});

test('a corrupt settings.json is kept aside and reported, and a later save does not overwrite it', async () => {
  const file = join(dir, 'settings.json');
  await writeFile(file, '{"defaultPullBehavior": "always", "logCapMB": 12');
  const settings = await createSettingsStore(dir);
  expect(settings.get().defaultPullBehavior).toBe('default');
  const aside = await keptAside(dir, 'settings.json');
  expect(aside).toHaveLength(1);
  expect(await readFile(join(dir, aside[0]!), 'utf8')).toBe(
    '{"defaultPullBehavior": "always", "logCapMB": 12',
  );
  expect(warningsAbout(`${file} is damaged`)[0]?.message).toContain(`kept aside as ${join(dir, aside[0]!)}`);
  await settings.update({ logCapMB: 20 });
  expect(await readFile(join(dir, aside[0]!), 'utf8')).toBe(
    '{"defaultPullBehavior": "always", "logCapMB": 12',
  );
});

test('a corrupt launches.json (wrong shape too) is kept aside, not overwritten by the next launch', async () => {
  const file = join(dir, 'launches.json');
  await writeFile(file, '{"not":"a list"}');
  const launches = await createLaunchRecords(dir);
  await launches.add([{ taskId: 'abc', pullBehavior: 'default' } as never]);
  const aside = await keptAside(dir, 'launches.json');
  expect(aside).toHaveLength(1);
  expect(await readFile(join(dir, aside[0]!), 'utf8')).toBe('{"not":"a list"}');
  expect(warningsAbout(`${file} is damaged (unexpected content)`)).toHaveLength(1);
});

test('a corrupt saved definition is kept aside and reported; the others still load', async () => {
  const defs = join(dir, 'definitions');
  await mkdir(defs);
  const good = {
    id: 'good',
    text: JSON.stringify({ family: 'web', containerDefinitions: [{ name: 'a', image: 'busybox' }] }),
    importedAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
  await writeFile(join(defs, 'good.json'), JSON.stringify(good));
  await writeFile(join(defs, 'bad.json'), '{"id":"bad","text":"{\\"fam');
  const library = await createDefinitionsLibrary(defs, parseTaskDefinition);
  expect(library.list().map((d) => d.id)).toEqual(['good']);
  expect(await keptAside(defs, 'bad.json')).toHaveLength(1);
  expect(warningsAbout(`${join(defs, 'bad.json')} is damaged`)).toHaveLength(1);
});

test('a corrupt task record is kept aside and reported, never overwritten', async () => {
  const store = new TaskStore(dir);
  await store.init();
  await store.createTask('t2');
  const file = join(dir, 'tasks', 't2', 'record.json');
  await writeFile(file, '{"taskId":"t2","lastSta');
  expect(await store.loadRecords()).toEqual([]);
  expect(await keptAside(join(dir, 'tasks', 't2'), 'record.json')).toHaveLength(1);
  expect(warningsAbout(`${file} is damaged`)).toHaveLength(1);
});
