/**
 * What every measurement shares: one dockerode client, one engine (on a traced copy of it, with a
 * throw-away data dir), the benchmark's own Docker event log, a log of engine events with their
 * receipt times, and builders for engine task definitions and equivalent raw containers.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import type { ContainerLastStatus, TaskLastStatus } from '../contract/dto.js';
import { toContainerCreateOptions } from '../main/engine/container-config.js';
import type { TaskEngineApi } from '../main/engine/engine-api.js';
import { LABEL_MANAGED, LABEL_TASK_ID, taskLabels } from '../main/engine/labels.js';
import { createTaskEngine } from '../main/engine/task-engine.js';
import { container, TEST_IMAGE } from '../main/test-support/engine-fixture.js';
import type { ContainerDefinition } from '../main/task-definition/model.js';
import { nowMs } from './clock.js';
import { DockerEventLog, type SeenEvent } from './docker-event-log.js';
import { tracingDocker, type TracedCall } from './tracing-docker.js';

/** Label on every container this run creates (engine and raw): its value is the run id. */
export const LABEL_BENCH_RUN = 'taskdeck.bench.run';
/** Label on raw (non-engine) containers only. */
export const LABEL_BENCH_RAW = 'taskdeck.bench.raw';
/** Label naming the measurement (and round) a container belongs to. */
export const LABEL_BENCH_GROUP = 'taskdeck.bench.group';

/** Runs until SIGTERM (a shell as PID 1 ignores SIGTERM without the trap). */
export const LONG_RUNNING = ['sh', '-c', 'trap "exit 143" TERM; while true; do sleep 1; done'];
/** Like LONG_RUNNING but reacts to SIGTERM within 0.1 s (keeps gate samples short). */
export const LONG_RUNNING_FAST_STOP = ['sh', '-c', 'trap "exit 143" TERM; while true; do sleep 0.1; done'];

/** An engine event as received: who, what status, and when this process got it. */
export interface EngineEventSeen {
  readonly taskId: string;
  readonly receivedMs: number;
  readonly lastStatus: TaskLastStatus;
  readonly containers: Readonly<Record<string, ContainerLastStatus>>;
}

export interface BenchContext {
  readonly runId: string;
  readonly docker: Docker;
  readonly engine: TaskEngineApi;
  readonly dataDir: string;
  /** Docker calls the engine made, with call and return times. */
  readonly trace: TracedCall[];
  readonly dockerEvents: DockerEventLog;
  readonly engineEvents: EngineEventSeen[];
  /** Engine tasks this run started. */
  readonly taskIds: Set<string>;
}

/** Builds the engine and subscriptions. */
export async function createBenchContext(): Promise<BenchContext> {
  const runId = randomBytes(6).toString('hex');
  const docker = new Docker();
  const dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-bench-'));
  const trace: TracedCall[] = [];
  // Subscribe before anything is created so nothing is missed.
  const dockerEvents = await DockerEventLog.start(docker, {
    type: ['container'],
    label: [`${LABEL_BENCH_RUN}=${runId}`],
  });
  const engine = await createTaskEngine({
    docker: tracingDocker(docker, trace),
    dataDir,
    pauseImage: TEST_IMAGE,
    defaultPullBehavior: 'prefer-cached',
  });
  const engineEvents: EngineEventSeen[] = [];
  engine.on('event', (_ev, task) => {
    engineEvents.push({
      taskId: task.taskId,
      receivedMs: nowMs(),
      lastStatus: task.lastStatus,
      containers: Object.fromEntries(task.containers.map((c) => [c.name, c.lastStatus])),
    });
  });
  return { runId, docker, engine, dataDir, trace, dockerEvents, engineEvents, taskIds: new Set() };
}

/** A container definition for the engine, carrying the run and group labels. */
export function benchContainer(
  ctx: BenchContext,
  group: string,
  name: string,
  over: Partial<ContainerDefinition> = {},
): ContainerDefinition {
  return container(name, {
    command: LONG_RUNNING,
    ...over,
    dockerLabels: { [LABEL_BENCH_RUN]: ctx.runId, [LABEL_BENCH_GROUP]: group, ...over.dockerLabels },
  });
}

/**
 * Create options for a raw container equivalent to what the engine creates for `def` (the same
 * mapping, the same number of labels — the engine's `com.taskdeck.*` keys renamed so no engine
 * adopts or routes it).
 */
export function rawCreateOptions(
  ctx: BenchContext,
  def: ContainerDefinition,
  dockerName: string,
): Docker.ContainerCreateOptions {
  const fakeTaskId = randomBytes(16).toString('hex');
  const engineLike = taskLabels(
    {
      clusterArn: 'arn:bench',
      taskArn: `arn:bench/${fakeTaskId}`,
      taskId: fakeTaskId,
      family: 'bench-raw',
      revision: 1,
    },
    'app',
    def.name,
  );
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(engineLike))
    labels[k.replace(/^com\.taskdeck\./, 'taskdeck.bench.raw-')] = v;
  labels[LABEL_BENCH_RAW] = 'true';
  return toContainerCreateOptions(def, {
    dockerName,
    labels,
    networkMode: 'bridge',
    volumeSources: new Map(),
    containerIds: new Map(),
    extraEnv: {},
    endpointEnv: {},
    extraHosts: [],
  });
}

/** Docker event predicates. */
export const ofTask = (taskId: string) => (e: SeenEvent) => e.attrs[LABEL_TASK_ID] === taskId;
export const named = (container: string) => (e: SeenEvent) =>
  e.attrs['com.amazonaws.ecs.container-name'] === container;
export const inGroup = (group: string) => (e: SeenEvent) => e.attrs[LABEL_BENCH_GROUP] === group;
export const action = (a: string) => (e: SeenEvent) => e.action === a;
export const all =
  (...preds: ((e: SeenEvent) => boolean)[]) =>
  (e: SeenEvent) =>
    preds.every((p) => p(e));

/** Removes every raw container of this run (force). */
export async function removeRawContainers(ctx: BenchContext, group?: string): Promise<number> {
  const label = [
    `${LABEL_BENCH_RUN}=${ctx.runId}`,
    `${LABEL_BENCH_RAW}=true`,
    ...(group ? [`${LABEL_BENCH_GROUP}=${group}`] : []),
  ];
  const found = await ctx.docker.listContainers({ all: true, filters: { label } });
  await Promise.all(
    found.map((c) =>
      ctx.docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch((err: { statusCode?: number }) => {
          if (err.statusCode !== 404 && err.statusCode !== 409) throw err;
        }),
    ),
  );
  return found.length;
}

/** What is left after teardown: this run's containers, and engine-managed containers of this run's tasks. */
export async function leftoverContainers(
  ctx: BenchContext,
): Promise<{ runLabelled: number; managedOfRun: number; managedOther: number }> {
  const [run, managed] = await Promise.all([
    ctx.docker.listContainers({ all: true, filters: { label: [`${LABEL_BENCH_RUN}=${ctx.runId}`] } }),
    ctx.docker.listContainers({ all: true, filters: { label: [`${LABEL_MANAGED}=true`] } }),
  ]);
  const mine = managed.filter((c) => ctx.taskIds.has(c.Labels[LABEL_TASK_ID] ?? ''));
  return { runLabelled: run.length, managedOfRun: mine.length, managedOther: managed.length - mine.length };
}

/** Stops every engine task, removes raw containers, closes the engine and deletes the data dir. */
export async function teardown(ctx: BenchContext): Promise<void> {
  await ctx.engine
    .stopAll('bench teardown')
    .catch((err: Error) => console.error(`stopAll failed: ${err.message}`));
  await removeRawContainers(ctx).catch((err: Error) => console.error(`raw cleanup failed: ${err.message}`));
  await ctx.engine.close();
  ctx.dockerEvents.close();
  await rm(ctx.dataDir, { recursive: true, force: true });
}
