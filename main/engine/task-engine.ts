/**
 * The task engine facade: RunTask / StopTask / DescribeTask / ListTasks on Docker. Owns the Docker
 * event subscription and routes each event to the owning task's runner (the task's only writer);
 * persists records, events and logs; re-adopts unfinished tasks at start-up.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type Docker from '../docker/docker-client.js';
import type {
  HealthProbe,
  LogLine,
  PullBehavior,
  TaskDetail,
  TaskResources,
  TaskStateChangeEvent,
} from '../../contract/dto.js';
import { DockerEventStream, type DockerEvent } from '../docker/docker-events.js';
import {
  DockerReachability,
  DockerUnreachableError,
  type DockerReachabilityState,
} from '../docker/docker-reachability.js';
import type { StorageHealthState } from '../store/storage-health.js';
import { TaskStore } from '../store/task-store.js';
import {
  DEFAULT_ARN_CONTEXT,
  clusterArn,
  containerArn,
  taskArn,
  taskDefinitionArn,
  arnContextOf,
  taskIdOf,
  type ArnContext,
} from './arns.js';
import { applyContainerOverride, awslogsStreamName, checkOverrides } from './container-config.js';
import type { EngineEvents, LogQuery, RunTaskInput, StopTaskOptions, TaskEngineApi } from './engine-api.js';
import { ImagePuller } from './image-puller.js';
import { onDataDir } from '../store/data-dir-error.js';
import { reportDataWarning } from '../store/data-warnings.js';
import { LABEL_DATA_DIR, LABEL_MANAGED, LABEL_TASK_ID } from './labels.js';
import { defaultLaunchType, ec2DockerName, launchTypeProblem } from './launch-type.js';
import { NO_LAUNCH_HOOKS, type LaunchHooks } from './launch-hooks.js';
import { taskStateChangeEvent } from './task-events.js';
import { findUnrecordedTasks, recordFromLabels } from './record-from-labels.js';
import { TaskRunner } from './task-runner.js';
import type { TaskRuntime } from './task-runtime.js';
import type { TaskDefinition } from '../task-definition/model.js';

/** How the engine is built. */
export interface TaskEngineOptions {
  /** A connected dockerode instance. */
  readonly docker: Docker;
  /** Durable store root (task records, events, logs). */
  readonly dataDir: string;
  readonly region?: string;
  readonly account?: string;
  /**
   * Region and account read at every RunTask (settings that change while the app runs); what it
   * leaves out comes from `region` / `account`, then the defaults.
   */
  readonly identity?: () => { readonly region?: string | undefined; readonly account?: string | undefined };
  readonly cluster?: string;
  readonly defaultPullBehavior?: PullBehavior;
  /** Image for awsvpc pause containers (needs `sleep`); default `busybox:stable`. */
  readonly pauseImage?: string;
  readonly hooks?: LaunchHooks;
  /** Log kept on disk per container; a function is read at every append (a live setting). */
  readonly logCapBytes?: number | (() => number);
  /** Owner labels (owner.ts) put on every object this engine creates. */
  readonly ownerLabels?: Readonly<Record<string, string>>;
  /**
   * Re-adopt the unfinished tasks recorded in the data dir (default true: the app and `web`).
   * `taskdeck run` passes false: a dead run's objects are orphans for `taskdeck gc`, not its own.
   */
  readonly adopt?: boolean;
}

/** Thrown for bad requests (unknown task, bad overrides); `code` crosses transports. */
/** RunTask `startedBy` as ECS accepts it. */
const STARTED_BY = /^[A-Za-z0-9_/-]{1,128}$/;

export class EngineError extends Error {
  constructor(
    readonly code: 'TaskNotFound' | 'InvalidParameter',
    message: string,
  ) {
    super(message);
  }
}

interface EngineState {
  pulledOnce: string[];
}

class TaskEngine implements TaskEngineApi {
  private readonly runners = new Map<string, TaskRunner>();
  private readonly emitter = new EventEmitter();
  /** Saved resource histories read so far (per task, once). */
  private readonly statsLoads = new Map<string, Promise<void>>();
  private readonly store: TaskStore;
  private readonly dockerEvents: DockerEventStream;
  private readonly reachability: DockerReachability;
  private readonly puller: ImagePuller;
  private readonly arn: ArnContext;
  private readonly hooks: LaunchHooks;
  private pulledOnce = new Set<string>();

  constructor(private readonly opts: TaskEngineOptions) {
    this.arn = {
      region: opts.region ?? DEFAULT_ARN_CONTEXT.region,
      account: opts.account ?? DEFAULT_ARN_CONTEXT.account,
      cluster: opts.cluster ?? DEFAULT_ARN_CONTEXT.cluster,
    };
    this.hooks = opts.hooks ?? NO_LAUNCH_HOOKS;
    this.store = new TaskStore(opts.dataDir, opts.logCapBytes);
    this.store.health.on('change', (state) => this.emitter.emit('storage', state));
    this.dockerEvents = new DockerEventStream(opts.docker, {
      label: [`${LABEL_MANAGED}=true`],
      type: ['container'],
    });
    this.reachability = new DockerReachability(this.dockerEvents, { ping: () => opts.docker.ping() });
    this.reachability.on('change', (state) => this.emitter.emit('docker', state));
    this.puller = new ImagePuller(opts.docker, this.pulledOnce, () => {
      this.saveState().catch(storeFailed('saving engine state'));
    });
    this.emitter.setMaxListeners(100);
  }

  async start(): Promise<void> {
    const dir = this.opts.dataDir;
    const state = await onDataDir(dir, async () => {
      await this.store.init();
      return this.store.loadState<EngineState>({ pulledOnce: [] });
    });
    for (const i of state.pulledOnce) this.pulledOnce.add(i);
    this.dockerEvents.on('event', (ev) => this.route(ev));
    // After an outage: what failed while Docker was away (stops, cleanups) is redone at once.
    let wasDisconnected = false;
    this.dockerEvents.on('disconnected', () => (wasDisconnected = true));
    this.dockerEvents.on('connected', () => {
      if (!wasDisconnected) return;
      wasDisconnected = false;
      for (const r of this.runners.values()) {
        r.onDockerReconnected();
        r.resync().catch(storeFailed(`resyncing task ${r.taskId} after Docker came back`));
      }
    });
    // Subscribe first, then reconcile: nothing that happens in between is missed.
    await this.dockerEvents.start();
    const records = await onDataDir(dir, () => this.store.loadRecords<TaskRuntime>());
    const adoptions: Promise<void>[] = [];
    for (const rt of records) {
      if (rt.lastStatus !== 'STOPPED' && this.opts.adopt === false) continue;
      if (rt.lastStatus !== 'STOPPED' && this.opts.ownerLabels) rt.ownerLabels = this.opts.ownerLabels;
      const runner = this.makeRunner(rt);
      // A running task's history continues from what was saved; a stopped one's is read on demand.
      if (rt.lastStatus !== 'STOPPED') adoptions.push(this.loadStats(runner).then(() => runner.adopt()));
      else runner.resumeCleanup();
    }
    if (this.opts.adopt !== false && this.opts.ownerLabels) adoptions.push(...(await this.adoptUnrecorded()));
    await Promise.all(adoptions);
  }

  /** Re-adopts, from Docker's labels, running tasks of this data dir whose record was lost. */
  private async adoptUnrecorded(): Promise<Promise<void>[]> {
    const dataDir = this.opts.ownerLabels?.[LABEL_DATA_DIR] ?? this.opts.dataDir;
    const unrecorded = await findUnrecordedTasks(this.opts.docker, dataDir, new Set(this.runners.keys()));
    const adoptions: Promise<void>[] = [];
    for (const [taskId, infos] of unrecorded) {
      await this.store.createTask(taskId);
      const lastLog = (await this.store.readLogs(taskId, { limit: 1 }))[0];
      const rt = recordFromLabels(infos, lastLog ? lastLog.seq + 1 : 0);
      if (!rt) continue;
      if (this.opts.ownerLabels) rt.ownerLabels = this.opts.ownerLabels;
      reportDataWarning(
        `task ${taskId} had no readable record; re-adopted from its containers' Docker labels (definition rebuilt from them: names and images only)`,
      );
      const runner = this.makeRunner(rt);
      this.statsLoads.set(taskId, Promise.resolve());
      adoptions.push(runner.adopt());
    }
    return adoptions;
  }

  private saveState(): Promise<void> {
    return this.store.saveState({ pulledOnce: [...this.pulledOnce] } satisfies EngineState);
  }

  private route(ev: DockerEvent): void {
    const id = ev.Actor.Attributes[LABEL_TASK_ID];
    if (id) this.runners.get(id)?.onDockerEvent(ev);
  }

  private makeRunner(rt: TaskRuntime): TaskRunner {
    const runner: TaskRunner = new TaskRunner(rt, {
      docker: this.opts.docker,
      puller: this.puller,
      pauseImage: this.opts.pauseImage ?? 'busybox:stable',
      hooks: this.hooks,
      onChange: (detail) => this.onChange(runner, detail),
      onPersist: () => {
        this.store.saveRecord(rt.taskId, rt).catch(storeFailed(`saving the record of task ${rt.taskId}`));
      },
      onLogs: (lines) => {
        this.store.appendLogs(rt.taskId, lines).catch(storeFailed(`writing logs of task ${rt.taskId}`));
        this.emitter.emit('logs', lines);
      },
      logTail: () => this.store.logTail(rt.taskId),
      onProbes: (container, probes) => this.emitter.emit('probes', rt.taskId, container, probes),
      onPull: (container, image, line) =>
        this.emitter.emit('pull', { taskId: rt.taskId, container, image, ...line }),
      onStats: (container, sample) => this.emitter.emit('stats', rt.taskId, container, sample),
      onStatsPersist: () => {
        this.store
          .saveStats(rt.taskId, runner.stats.toJSON())
          .catch(storeFailed(`saving the resource history of task ${rt.taskId}`));
      },
    });
    this.runners.set(rt.taskId, runner);
    return runner;
  }

  private onChange(runner: TaskRunner, detail: TaskDetail): void {
    this.store
      .saveRecord(detail.taskId, runner.rt)
      .catch(storeFailed(`saving the record of task ${detail.taskId}`));
    // The runner calls this only for event-worthy changes, with the version already bumped.
    // The task's own region and account (from its ARN): events agree with the task whatever the
    // settings say now.
    const event = taskStateChangeEvent(
      detail,
      arnContextOf(detail.taskArn, this.arn),
      new Date().toISOString(),
    );
    this.store.appendEvent(detail.taskId, event);
    // A stopped task's files are closed (they reopen on demand): no descriptor per task ever run.
    if (detail.lastStatus === 'STOPPED')
      this.store.closeTask(detail.taskId).catch(storeFailed(`closing the files of task ${detail.taskId}`));
    this.emitter.emit('event', event, detail);
  }

  async runTask(input: RunTaskInput): Promise<TaskDetail> {
    const def = input.taskDefinition;
    const bad = checkOverrides(def, input.overrides);
    if (bad) throw new EngineError('InvalidParameter', bad);
    const launchType = input.launchType ?? defaultLaunchType(def);
    const badLaunchType = launchTypeProblem(def, launchType);
    if (badLaunchType) throw new EngineError('InvalidParameter', badLaunchType);
    if (input.startedBy !== undefined && !STARTED_BY.test(input.startedBy))
      throw new EngineError(
        'InvalidParameter',
        'startedBy: up to 128 letters, numbers, hyphens (-), forward slashes (/) and underscores (_)',
      );
    // Refused before anything exists: no record, no half-created task to clean up later.
    const docker = this.reachability.state();
    if (!docker.reachable) throw new DockerUnreachableError(docker);
    const taskId = randomBytes(16).toString('hex');
    const live = this.opts.identity?.();
    const ctx: ArnContext = {
      ...this.arn,
      ...(live?.region ? { region: live.region } : {}),
      ...(live?.account ? { account: live.account } : {}),
    };
    const tArn = taskArn(ctx, taskId);
    const cpu = input.overrides?.cpu ?? (def.cpu !== undefined ? String(def.cpu) : undefined);
    const memory = input.overrides?.memory ?? (def.memory !== undefined ? String(def.memory) : undefined);
    const rt: TaskRuntime = {
      taskId,
      taskArn: tArn,
      clusterArn: clusterArn(ctx),
      taskDefinitionArn: taskDefinitionArn(ctx, def.family, def.revision),
      definition: def,
      ...(input.overrides ? { overrides: input.overrides } : {}),
      pullBehavior: input.pullBehavior ?? this.opts.defaultPullBehavior ?? 'default',
      keep: input.keep ?? false,
      group: input.group ?? `family:${def.family}`,
      ...(input.startedBy ? { startedBy: input.startedBy } : {}),
      launchType,
      ...(input.definitionId ? { definitionId: input.definitionId } : {}),
      ...(input.secretsFile ? { secretsFile: input.secretsFile } : {}),
      ...(input.passOwnCredentials ? { passOwnCredentials: true } : {}),
      ...(input.publishAddress ? { publishAddress: input.publishAddress } : {}),
      ...(input.environmentFileScope ? { environmentFileScope: input.environmentFileScope } : {}),
      ...(input.tags && input.tags.length > 0 ? { tags: input.tags } : {}),
      ...((input.enableExecuteCommand ?? def.enableExecuteCommand) ? { enableExecuteCommand: true } : {}),
      ...(cpu !== undefined ? { cpu } : {}),
      ...(memory !== undefined ? { memory } : {}),
      ...(this.opts.ownerLabels ? { ownerLabels: this.opts.ownerLabels } : {}),
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      createdAt: new Date().toISOString(),
      version: 0,
      attachments: [],
      volumeSources: {},
      provisioned: false,
      logSeq: 0,
      containers: def.containerDefinitions.map((cd) => {
        const d = applyContainerOverride(
          cd,
          input.overrides?.containerOverrides?.find((o) => o.name === cd.name),
        );
        const stream = awslogsStreamName(d, taskId);
        return {
          name: d.name,
          def: d,
          containerArn: containerArn(ctx, taskId, d.name),
          dockerName:
            launchType === 'EC2'
              ? ec2DockerName(def.family, def.revision, d.name, taskId)
              : TaskRunner.dockerName(def.family, taskId, d.name),
          phase: 'NONE',
          phases: [],
          health: 'UNKNOWN',
          waits: [],
          probes: [],
          networkBindings: [],
          ...(stream ? { logStreamName: stream } : {}),
        };
      }),
    };
    await this.store.createTask(taskId);
    const runner = this.makeRunner(rt);
    this.statsLoads.set(taskId, Promise.resolve());
    runner.launch();
    return runner.detail();
  }

  private runner(taskIdOrArn: string): TaskRunner {
    const r = this.runners.get(taskIdOf(taskIdOrArn));
    if (!r) throw new EngineError('TaskNotFound', `task ${taskIdOrArn} not found`);
    return r;
  }

  async stopTask(taskId: string, reason?: string, options?: StopTaskOptions): Promise<TaskDetail> {
    const r = this.runner(taskId);
    const why = reason?.trim() || 'Task stopped by user';
    if (options?.force) r.forceStop('UserInitiated', why);
    else r.requestStop('UserInitiated', why);
    return r.detail();
  }

  waitForStopped(taskId: string): Promise<TaskDetail> {
    return this.runner(taskId).whenStopped();
  }

  describeTask(taskId: string): TaskDetail | undefined {
    return this.runners.get(taskIdOf(taskId))?.detail();
  }

  listTasks(): readonly TaskDetail[] {
    return [...this.runners.values()]
      .map((r) => r.detail())
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  events(taskId: string): Promise<readonly TaskStateChangeEvent[]> {
    this.runner(taskId);
    return this.store.readEvents(taskIdOf(taskId));
  }

  logs(taskId: string, query?: LogQuery): Promise<readonly LogLine[]> {
    this.runner(taskId);
    return this.store.readLogs(taskIdOf(taskId), query);
  }

  healthProbes(taskId: string): Readonly<Record<string, readonly HealthProbe[]>> {
    const r = this.runner(taskId);
    return Object.fromEntries(r.rt.containers.map((c) => [c.name, c.probes]));
  }

  async resources(taskId: string): Promise<TaskResources> {
    const r = this.runner(taskId);
    await this.loadStats(r);
    return r.stats.resources();
  }

  /** Reads a task's saved resource history once (before its streams resume, or when first asked). */
  private loadStats(r: TaskRunner): Promise<void> {
    let loading = this.statsLoads.get(r.taskId);
    if (!loading) {
      loading = this.store.loadStats(r.taskId).then((stored) => r.stats.restore(stored));
      this.statsLoads.set(r.taskId, loading);
    }
    return loading;
  }

  taskDefinitionOf(taskId: string): TaskDefinition | undefined {
    const r = this.runners.get(taskIdOf(taskId));
    return r ? { ...r.rt.definition, containerDefinitions: r.rt.containers.map((c) => c.def) } : undefined;
  }

  async stopAll(reason?: string): Promise<void> {
    const active = [...this.runners.values()].filter((r) => r.rt.lastStatus !== 'STOPPED');
    for (const r of active) r.requestStop('UserInitiated', reason ?? 'Task stopped by user');
    await Promise.all(active.map((r) => r.whenStopped()));
  }

  dockerReachability(): DockerReachabilityState {
    return this.reachability.state();
  }

  storageHealth(): StorageHealthState {
    return this.store.health.state();
  }

  on<K extends keyof EngineEvents>(name: K, listener: EngineEvents[K]): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }

  async close(): Promise<void> {
    this.dockerEvents.close();
    for (const r of this.runners.values()) r.detach();
    await Promise.all(
      [...this.runners.values()].map((r) =>
        this.store.saveRecord(r.taskId, r.rt).catch(storeFailed(`saving the record of task ${r.taskId}`)),
      ),
    );
    await this.store.close();
    await this.hooks.close?.();
  }
}

/**
 * Reports a failed background store write. The task carries on from its in-memory state, and the
 * next write of the same record retries; an unhandled rejection would instead end the process.
 */
function storeFailed(what: string): (err: unknown) => void {
  return (err) => {
    // A full disk fails every write: say so once a minute per kind of write, not per log batch
    // (the degraded state itself is shown by the app and the CLI).
    const now = Date.now();
    if ((lastReported.get(what) ?? -Infinity) > now - REPORT_EVERY_MS) return;
    lastReported.set(what, now);
    if (lastReported.size > 1000) lastReported.clear();
    console.error(`[taskdeck] ${what} failed:`, err);
  };
}
const REPORT_EVERY_MS = 60_000;
const lastReported = new Map<string, number>();

/** Builds the engine, re-adopts running tasks from container labels, and starts listening to Docker. */
export async function createTaskEngine(options: TaskEngineOptions): Promise<TaskEngineApi> {
  const engine = new TaskEngine(options);
  await engine.start();
  return engine;
}
