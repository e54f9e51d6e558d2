/**
 * How each task was launched (definition id, overrides, pull behaviour), persisted in
 * `<dataDir>/launches.json` so "Re-run" offers the same choices after a restart.
 */
import { join } from 'node:path';
import type { LaunchRecord } from '../../contract/dto.js';
import { reportDataWarning } from '../store/data-warnings.js';
import { readJsonOrKeepAside } from '../store/keep-aside.js';
import { writeJsonFile } from './json-file.js';

/** Launch records keyed by task id; the only writer of launches.json. */
export interface LaunchRecords {
  get(taskId: string): LaunchRecord | undefined;
  add(records: readonly LaunchRecord[]): Promise<void>;
}

/** Loads the records at `dataDir/launches.json`. */
export async function createLaunchRecords(dataDir: string): Promise<LaunchRecords> {
  const file = join(dataDir, 'launches.json');
  // A damaged file is kept aside (launches.json.corrupt-<time>) and reported, never overwritten.
  const raw = await readJsonOrKeepAside(file, Array.isArray).catch((err: Error) => {
    reportDataWarning(`cannot read launch records ${file}: ${err.message}`, file);
    return undefined;
  });
  const records = new Map<string, LaunchRecord>();
  if (Array.isArray(raw)) {
    for (const r of raw as LaunchRecord[]) if (r && typeof r.taskId === 'string') records.set(r.taskId, r);
  }
  let writing: Promise<void> = Promise.resolve();
  return {
    get: (taskId) => records.get(taskId),
    async add(added) {
      for (const r of added) records.set(r.taskId, r);
      const snapshot = [...records.values()];
      writing = writing.then(() => writeJsonFile(file, snapshot));
      await writing;
    },
  };
}
