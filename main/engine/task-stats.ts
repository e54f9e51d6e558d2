/**
 * A task's resource statistics: one Docker stats stream per running container (started when the
 * container starts, stopped when it stops — like its log follower), a bounded history per
 * container, and the latest raw message per container for the metadata endpoint's `/stats`.
 * Every new sample is handed on at once; the topic bus batches them for the UI.
 */
import type Docker from '../docker/docker-client.js';
import type { ContainerResources, ResourceSample, TaskResources } from '../../contract/dto.js';
import { taskSizeOf } from './app-container-options.js';
import { hardMemoryMiB } from './container-config.js';
import { followContainerStats } from './stats-follower.js';
import { ResourceHistory, type StoredHistory } from './stats-history.js';
import { agentStatsDocument, toStatsPoint, type DockerStats, type StatsPoint } from './stats-math.js';
import type { ContainerRuntime, TaskRuntime } from './task-runtime.js';

const MIB = 1024 * 1024;
/** How long `/stats` waits for a just-started container's first message (Docker sends one a second). */
const FIRST_SAMPLE_WAIT_MS = 3000;
/** A running task's history is written at most this often (and whenever a container stops). */
const PERSIST_EVERY_MS = 5 * 60_000;

/** The persisted form: history per container name. */
export type StoredTaskStats = Readonly<Record<string, StoredHistory>>;

interface Follower {
  readonly dockerId: string;
  readonly stop: () => void;
  readonly done: Promise<void>;
  latest?: { readonly raw: DockerStats; readonly point: StatsPoint };
  waiters: (() => void)[];
}

export class TaskStats {
  private readonly followers = new Map<string, Follower>();
  private readonly histories = new Map<string, ResourceHistory>();
  private readonly onlineCpus = new Map<string, number>();
  private lastPersist = Date.now();

  constructor(
    private readonly docker: Docker,
    private readonly rt: TaskRuntime,
    private readonly onSample: (container: string, sample: ResourceSample) => void,
    private readonly onPersist: () => void,
  ) {}

  /** Starts the container's stats stream (once per container run). */
  follow(c: ContainerRuntime): void {
    if (!c.dockerId || this.followers.has(c.name)) return;
    this.start(c.name, c.dockerId);
  }

  private start(name: string, dockerId: string): void {
    const f: Follower = {
      dockerId,
      waiters: [],
      ...followContainerStats(this.docker, dockerId, (raw) => this.onStats(name, f, raw)),
    };
    this.followers.set(name, f);
    // A stream that ends by itself (container removed) releases whoever waits for a first sample.
    // `done` never rejects (the stream's errors end it); finally() keeps that true for release.
    f.done.finally(() => this.release(f)).catch(() => undefined);
  }

  /**
   * Docker answers again: every stream starts afresh. A dockerd restart cut them (the containers
   * ran on under live restore), and a cut unix socket does not always end the old stream at once,
   * so none is trusted. A container that is really gone ends its new stream at once, harmlessly.
   */
  reattach(): void {
    for (const [name, f] of [...this.followers]) {
      f.stop();
      this.start(name, f.dockerId);
      // Whoever waited on the old stream's first sample waits on the new one.
      this.followers.get(name)?.waiters.push(...f.waiters.splice(0));
    }
  }

  private onStats(name: string, f: Follower, raw: DockerStats): void {
    if (this.followers.get(name) !== f) return;
    const point = toStatsPoint(raw, f.latest?.point);
    if (!Number.isFinite(point.timeMs)) return;
    f.latest = { raw, point };
    if (point.onlineCpus !== undefined) this.onlineCpus.set(name, point.onlineCpus);
    this.history(name).add(point.sample);
    this.release(f);
    this.onSample(name, point.sample);
    if (point.timeMs - this.lastPersist > PERSIST_EVERY_MS) this.persist();
  }

  private release(f: Follower): void {
    for (const w of f.waiters.splice(0)) w();
  }

  private history(name: string): ResourceHistory {
    let h = this.histories.get(name);
    if (!h) this.histories.set(name, (h = new ResourceHistory()));
    return h;
  }

  /** The container stopped: end its stream (Docker would keep sending empty messages) and save. */
  end(c: ContainerRuntime): void {
    const f = this.followers.get(c.name);
    if (!f) return;
    this.followers.delete(c.name);
    f.stop();
    this.release(f);
    this.persist();
  }

  /** Ends every stream (task cleanup, engine shutdown) and saves the history. */
  endAll(): void {
    for (const f of this.followers.values()) {
      f.stop();
      this.release(f);
    }
    this.followers.clear();
    this.persist();
  }

  private persist(): void {
    this.lastPersist = Date.now();
    this.onPersist();
  }

  /**
   * `/stats` for a container, in the agent's shape (Docker's JSON + `network_rate_stats`), from
   * the same stream as the charts. A container whose stream has just opened gets its first
   * message (waited for, bounded); one with no stream gets undefined (the endpoint answers `{}`).
   */
  async agentDocument(name: string): Promise<Record<string, unknown> | undefined> {
    const f = this.followers.get(name);
    if (!f) return undefined;
    if (!f.latest) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        f.waiters.push(resolve);
        timer = setTimeout(resolve, FIRST_SAMPLE_WAIT_MS);
      });
      clearTimeout(timer);
    }
    return f.latest ? agentStatsDocument(f.latest.raw, f.latest.point) : undefined;
  }

  /** The Docker id whose stream backs the container's latest sample (tests, diagnostics). */
  latestSampleId(name: string): string | undefined {
    const f = this.followers.get(name);
    return f?.latest ? (f.latest.raw.id ?? f.dockerId) : undefined;
  }

  /** Every container's history and limits. */
  resources(): TaskResources {
    const { taskCpu, taskMemory } = taskSizeOf(this.rt);
    const containers: ContainerResources[] = this.rt.containers.map((c) => {
      const mem = hardMemoryMiB(c.def, taskMemory);
      const cores = c.def.cpu > 0 ? c.def.cpu / 1024 : taskCpu !== undefined ? taskCpu / 1024 : undefined;
      const cpus = this.onlineCpus.get(c.name);
      return {
        container: c.name,
        ...(c.dockerId ? { dockerId: c.dockerId } : {}),
        samples: this.histories.get(c.name)?.samples() ?? [],
        ...(cores !== undefined ? { cpuLimitCores: cores } : {}),
        ...(mem !== undefined ? { memoryLimitBytes: mem * MIB } : {}),
        ...(cpus !== undefined ? { onlineCpus: cpus } : {}),
        live: this.followers.has(c.name),
      };
    });
    return {
      taskId: this.rt.taskId,
      sharedNetwork: this.rt.definition.networkMode === 'awsvpc',
      ...(taskCpu !== undefined ? { cpuLimitCores: taskCpu / 1024 } : {}),
      ...(taskMemory !== undefined ? { memoryLimitBytes: taskMemory * MIB } : {}),
      containers,
    };
  }

  /** The histories to persist. */
  toJSON(): StoredTaskStats {
    const out: Record<string, StoredHistory> = {};
    for (const [name, h] of this.histories) out[name] = h.toJSON();
    return out;
  }

  /** Restores persisted histories (after a restart); samples already taken since are kept after them. */
  restore(stored: unknown): void {
    if (!stored || typeof stored !== 'object') return;
    for (const [name, h] of Object.entries(stored as Record<string, unknown>)) {
      if (!this.rt.containers.some((c) => c.name === name)) continue;
      const restored = ResourceHistory.fromJSON(h);
      for (const s of this.histories.get(name)?.samples() ?? []) restored.add(s);
      this.histories.set(name, restored);
    }
  }
}
