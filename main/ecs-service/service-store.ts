/**
 * Durable service records: `<dataDir>/services/<serviceName>.json`, written atomically (temp file
 * + rename, private modes) one write at a time per service, newest state last. A damaged file is
 * kept aside (`.corrupt-<time>`) and reported, as the task store does.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceEventView, ServiceTaskView } from '../../contract/service-dto.js';
import { writeJsonFile } from '../services/json-file.js';
import { readJsonOrKeepAside } from '../store/keep-aside.js';
import { reportDataWarning } from '../store/data-warnings.js';
import type { CreateServiceInput } from './service-manager-api.js';
import type { DeploymentState, ServiceTaskState, ThrottleState } from './scheduler/scheduler-state.js';

/** Everything needed to rebuild a service after a restart. */
export interface ServiceRecord {
  readonly input: CreateServiceInput;
  readonly createdAt: string;
  desiredCount: number;
  deployments: DeploymentState[];
  tasks: ServiceTaskState[];
  /** Per-task milestones for the deployment timeline, by task id. */
  milestones: Record<string, ServiceTaskView['milestones'][number][]>;
  /** Newest first, at most 100. */
  events: ServiceEventView[];
  throttle: ThrottleState;
  steady: boolean;
  deleting: boolean;
  version: number;
}

const isRecord = (v: unknown): v is ServiceRecord =>
  typeof v === 'object' &&
  v !== null &&
  'input' in v &&
  Array.isArray((v as ServiceRecord).deployments) &&
  Array.isArray((v as ServiceRecord).tasks);

/** Reads and writes service records under `<dataDir>/services`. */
export class ServiceStore {
  private readonly dir: string;
  private readonly writes = new Map<string, Promise<void>>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'services');
  }

  /** Every readable record (damaged files are kept aside and skipped). */
  async loadAll(): Promise<ServiceRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: ServiceRecord[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const value = await readJsonOrKeepAside(join(this.dir, name), isRecord);
      if (value !== undefined) out.push(value as ServiceRecord);
    }
    return out;
  }

  /** Queues a save of the record as it is now (writes of one service never overlap). */
  save(record: ServiceRecord): Promise<void> {
    const name = record.input.service.serviceName;
    const snapshot = JSON.parse(JSON.stringify(record)) as ServiceRecord;
    const prev = this.writes.get(name) ?? Promise.resolve();
    const next = prev
      .then(() => writeJsonFile(this.file(name), snapshot))
      .catch((err: unknown) =>
        reportDataWarning(`service ${name} could not be saved: ${(err as Error).message}`, this.file(name)),
      );
    this.writes.set(name, next);
    return next;
  }

  /** Removes the record once queued writes are done. */
  async remove(serviceName: string): Promise<void> {
    await (this.writes.get(serviceName) ?? Promise.resolve());
    this.writes.delete(serviceName);
    await rm(this.file(serviceName), { force: true });
  }

  /** Waits for every queued write. */
  async flush(): Promise<void> {
    await Promise.all(this.writes.values());
  }

  private file(serviceName: string): string {
    return join(this.dir, `${serviceName}.json`);
  }
}
