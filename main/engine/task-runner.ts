/**
 * One task's actor: the only writer of its TaskRuntime. Docker events, stop requests, timers and
 * the results of Docker calls all arrive as synchronous handler calls; after each, `converge()`
 * compares desired and known state and starts whatever Docker work is due. Docker calls run
 * concurrently and report back through handlers — never by waiting inside a state change.
 */
import type Docker from 'dockerode';
import type { ContainerPhase, HealthProbe, LogLine, StopCode, TaskDetail } from '../../contract/dto.js';
import type { DockerEvent } from '../docker/docker-events.js';
import { DEFAULT_STOP_TIMEOUT_S } from './container-config.js';
import { resolveDependencies } from './dependency-resolution.js';
import type { ImagePuller, PullProgressLine } from './image-puller.js';
import { TaskLogs } from './task-logs.js';
import { appContainerOptions, labelInputOf } from './app-container-options.js';
import { bindingsOf, dockerMessage, mergeProbes, upstreamStates } from './runtime-helpers.js';
import { provisionTaskResources, removeTaskResources, resourcePrefix } from './task-resources.js';
import { toTaskDetail, type ContainerRuntime, type TaskRuntime } from './task-runtime.js';
import { taskStatusRank } from './status.js';
import type { TaskLastStatus } from '../../contract/dto.js';
import type { LaunchHooks, PreparedLaunch } from './launch-hooks.js';

/** What a runner needs from the engine. */
export interface RunnerDeps {
  readonly docker: Docker;
  readonly puller: ImagePuller;
  readonly pauseImage: string;
  readonly hooks: LaunchHooks;
  /** Called with the task after every event-worthy change (version already bumped). */
  readonly onChange: (task: TaskDetail) => void;
  /** Called when the record should be persisted (no new event). */
  readonly onPersist: () => void;
  readonly onLogs: (lines: LogLine[]) => void;
  readonly onProbes?: (container: string, probes: readonly HealthProbe[]) => void;
  readonly onPull: (container: string, image: string, line: PullProgressLine) => void;
  readonly now?: () => number;
}

export class TaskRunner {
  private converging = false;
  private convergeAgain = false;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private deadlineAt = Infinity;
  private provisioning = false;
  private cleaning = false;
  private prepared: PreparedLaunch | undefined;
  private readonly logs: TaskLogs;
  private readonly stoppedWaiters: ((t: TaskDetail) => void)[] = [];
  private readonly now: () => number;

  constructor(
    readonly rt: TaskRuntime,
    private readonly deps: RunnerDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.logs = new TaskLogs(deps.docker, rt, deps.onLogs);
  }

  get taskId(): string {
    return this.rt.taskId;
  }

  detail(): TaskDetail {
    return toTaskDetail(this.rt);
  }

  /** Resolves once the task is STOPPED and cleaned up. */
  whenStopped(): Promise<TaskDetail> {
    if (this.rt.lastStatus === 'STOPPED') return Promise.resolve(this.detail());
    return new Promise((resolve) => this.stoppedWaiters.push(resolve));
  }

  // ---------------------------------------------------------------- inputs

  /** Starts a new task: first event (PROVISIONING), then converge. */
  launch(): void {
    this.changed();
    this.converge();
  }

  /** Re-adopts a task after an engine restart from the containers Docker still has. */
  async adopt(): Promise<void> {
    const { docker } = this.deps;
    const found = await docker.listContainers({
      all: true,
      filters: { label: [`com.taskdeck.task-id=${this.taskId}`] },
    });
    const infos = await Promise.all(
      found.map((c) =>
        docker
          .getContainer(c.Id)
          .inspect()
          .catch(() => undefined),
      ),
    );
    for (const c of this.rt.containers) {
      c.op = undefined;
      const info = infos.find(
        (i) =>
          i &&
          i.Config.Labels['com.amazonaws.ecs.container-name'] === c.name &&
          i.Config.Labels['com.taskdeck.role'] === 'app',
      );
      if (!info) {
        if (c.dockerId && c.phase !== 'STOPPED') {
          // It existed and is gone: it was removed while we were away.
          this.setPhase(c, 'STOPPED', 'container disappeared while Taskdeck was not running');
          c.reason ??= 'CannotInspectContainerError: container removed outside Taskdeck';
        } else if (c.phase === 'PULLING') {
          c.phase = 'NONE';
        }
        continue;
      }
      c.dockerId = info.Id;
      if (info.State.Running) {
        if (c.phase !== 'RUNNING' && c.phase !== 'STOPPING') this.setPhase(c, 'RUNNING');
        c.startedAt ??= info.State.StartedAt;
        c.networkBindings = bindingsOf(info);
        const h = info.State.Health?.Status;
        if (h) this.applyHealth(c, h, new Date().toISOString());
        mergeProbes(c.probes, info);
        this.logs.resume(c);
      } else if (info.State.StartedAt && !info.State.StartedAt.startsWith('0001')) {
        c.startedAt ??= info.State.StartedAt;
        mergeProbes(c.probes, info);
        if (c.phase !== 'STOPPED')
          this.containerExited(c, info.State.ExitCode, info.State.FinishedAt, info.State.OOMKilled);
      } else if (c.phase !== 'STOPPED') {
        this.setPhase(c, 'CREATED');
      }
    }
    this.rt.provisioned = true;
    if (this.rt.desiredStatus === 'RUNNING') await this.restoreEndpoints();
    this.deps.onPersist();
    this.converge();
  }

  /**
   * After a restart: serve the same endpoint ids again and make 169.254.170.2 answer in the
   * task's namespaces once more. A failure leaves the task running without endpoints (noted).
   */
  private async restoreEndpoints(): Promise<void> {
    const rt = this.rt;
    try {
      this.prepared = await this.deps.hooks.prepare(
        rt,
        () => this.detail(),
        (name) => rt.containers.find((c) => c.name === name)?.dockerId,
        { adopting: true },
      );
      rt.endpointState = this.prepared.endpointState;
    } catch (err) {
      for (const c of rt.containers) {
        c.phases.push({
          at: new Date(this.now()).toISOString(),
          phase: c.phase,
          detail: `task endpoints not restored: ${(err as Error).message}`,
        });
      }
      return;
    }
    if (rt.definition.networkMode === 'awsvpc' && rt.pauseContainerId) {
      await this.attachEndpoints(rt.pauseContainerId);
    } else if (rt.definition.networkMode === 'bridge') {
      await Promise.all(
        rt.containers
          .filter((c) => c.phase === 'RUNNING' && c.dockerId)
          .map((c) => this.attachEndpoints(c.dockerId!, c)),
      );
    }
  }

  /** StopTask (or stop after a failure): sets desired STOPPED once; the first reason wins. */
  requestStop(code: StopCode, reason: string, by?: string): void {
    if (this.rt.desiredStatus === 'STOPPED') return;
    const t = new Date(this.now()).toISOString();
    this.rt.desiredStatus = 'STOPPED';
    this.rt.stopCode = code;
    this.rt.stoppedReason = reason;
    this.rt.stoppingAt = t;
    if (code === 'UserInitiated') this.rt.stopRequestedAt = t;
    if (by) this.rt.stoppedBy = by;
    this.changed();
    this.converge();
  }

  /** A Docker event for one of this task's containers. */
  onDockerEvent(ev: DockerEvent): void {
    const name = ev.Actor.Attributes['com.amazonaws.ecs.container-name'];
    const c = this.rt.containers.find((x) => x.name === name && (!x.dockerId || x.dockerId === ev.Actor.ID));
    if (!c || ev.Actor.Attributes['com.taskdeck.role'] !== 'app') return;
    const at = new Date(Math.floor(ev.timeNano / 1e6)).toISOString();
    const action = ev.Action;
    if (action === 'start') {
      c.dockerId ??= ev.Actor.ID;
      this.containerStarted(c, at);
    } else if (action === 'die') {
      const code = Number(ev.Actor.Attributes.exitCode ?? NaN);
      this.containerExited(c, Number.isFinite(code) ? code : undefined, at, c.oomKilled);
    } else if (action === 'oom') {
      c.oomKilled = true;
      // Docker may report the OOM after the exit.
      if (c.phase === 'STOPPED' && !c.reason) {
        c.reason = 'OutOfMemoryError: Container killed due to memory usage';
        this.changed();
      }
    } else if (action.startsWith('health_status')) {
      const status = action.slice(action.indexOf(':') + 1).trim();
      this.applyHealth(c, status, at);
      this.fetchProbes(c);
    } else if (action.startsWith('exec_die')) {
      this.fetchProbes(c);
    } else if (action === 'destroy' && c.dockerId === ev.Actor.ID && c.phase !== 'STOPPED') {
      // Only a container we know: a failed create also emits `destroy` (for an id we never got).
      this.containerExited(c, c.exitCode, at, false);
      c.reason ??= 'container removed outside Taskdeck';
    }
  }

  // ---------------------------------------------------------------- container transitions

  private setPhase(c: ContainerRuntime, phase: ContainerPhase, detail?: string, at?: string): void {
    if (c.phase === phase && !detail) return;
    const last = c.phases[c.phases.length - 1];
    if (last && last.phase === phase && last.detail === detail) return;
    c.phase = phase;
    c.phases.push({ at: at ?? new Date(this.now()).toISOString(), phase, ...(detail ? { detail } : {}) });
  }

  private containerStarted(c: ContainerRuntime, at: string): void {
    if (c.phase === 'RUNNING' || c.phase === 'STOPPING' || c.phase === 'STOPPED') return;
    c.startedAt = at;
    this.setPhase(c, 'RUNNING', undefined, at);
    // Even when the task is already stopping: what it printed before its SIGTERM is still its log.
    this.followLogs(c);
    this.refreshBindings(c);
    this.changed();
    this.armDeadlines();
    this.converge();
  }

  private containerExited(
    c: ContainerRuntime,
    exitCode: number | undefined,
    at: string,
    oom: boolean | undefined,
  ): void {
    if (c.phase === 'STOPPED') return;
    if (exitCode !== undefined) c.exitCode = exitCode;
    c.finishedAt = at;
    if (oom) c.reason = 'OutOfMemoryError: Container killed due to memory usage';
    this.setPhase(c, 'STOPPED', exitCode !== undefined ? `exit ${exitCode}` : undefined, at);
    if (c.def.essential && this.rt.desiredStatus === 'RUNNING') {
      this.requestStop('EssentialContainerExited', 'Essential container in task exited', c.name);
    }
    this.changed();
    this.converge();
    // Docker knows OOM for sure only after the fact; check once (no event for it otherwise).
    if (!oom && c.dockerId && exitCode === 137) {
      this.deps.docker
        .getContainer(c.dockerId)
        .inspect()
        .then((info) => {
          if (info.State.OOMKilled && !c.reason) {
            c.oomKilled = true;
            c.reason = 'OutOfMemoryError: Container killed due to memory usage';
            this.changed();
          }
        })
        .catch(() => {});
    }
  }

  private failContainer(c: ContainerRuntime, reason: string): void {
    c.failedReason = reason;
    c.reason = reason;
    c.op = undefined;
    this.setPhase(c, 'STOPPED', reason);
    const failedToStart = this.rt.lastStatus !== 'RUNNING';
    if (c.def.essential || failedToStart) {
      const anyEssentialRan = this.rt.containers.some((x) => x.def.essential && x.startedAt);
      if (failedToStart && !anyEssentialRan) this.requestStop('TaskFailedToStart', reason, c.name);
      else if (c.def.essential)
        this.requestStop('EssentialContainerExited', 'Essential container in task exited', c.name);
    }
    this.changed();
  }

  private applyHealth(c: ContainerRuntime, status: string, at: string): void {
    const mapped = status === 'healthy' ? 'HEALTHY' : status === 'unhealthy' ? 'UNHEALTHY' : 'UNKNOWN';
    if (c.health === mapped) return;
    c.health = mapped;
    c.healthSince = at;
    this.changed();
    this.converge();
  }

  // ---------------------------------------------------------------- health probes

  private fetchProbes(c: ContainerRuntime): void {
    if (!c.dockerId || !c.def.healthCheck) return;
    this.deps.docker
      .getContainer(c.dockerId)
      .inspect()
      .then((info) => {
        const before = c.probes.length;
        if (mergeProbes(c.probes, info)) {
          const known = new Set(c.probes.slice(0, before).map((p) => p.start));
          this.deps.onProbes?.(
            c.name,
            c.probes.filter((p) => !known.has(p.start)),
          );
          this.deps.onPersist();
          this.converge();
        }
      })
      .catch(() => {});
  }

  private followLogs(c: ContainerRuntime, sinceSeconds?: number): void {
    this.logs.follow(c, sinceSeconds);
  }

  // ---------------------------------------------------------------- convergence

  /** Brings Docker toward the desired state; re-entrant calls are folded into one more pass. */
  converge(): void {
    if (this.converging) {
      this.convergeAgain = true;
      return;
    }
    this.converging = true;
    try {
      do {
        this.convergeAgain = false;
        if (this.rt.desiredStatus === 'RUNNING') this.convergeRunning();
        else this.convergeStopped();
      } while (this.convergeAgain);
    } finally {
      this.converging = false;
    }
  }

  private convergeRunning(): void {
    const rt = this.rt;
    if (!rt.provisioned) {
      if (!this.provisioning) this.provision();
      return;
    }
    if (rt.lastStatus === 'PROVISIONING') this.setTaskStatus('PENDING');
    const states = upstreamStates(this.rt.containers);
    const now = this.now();
    let nextDeadline = Infinity;
    for (const c of rt.containers) {
      if (c.op || c.phase === 'STOPPED' || c.phase === 'RUNNING' || c.phase === 'STOPPING') continue;
      if (c.phase === 'NONE') {
        this.pull(c);
        continue;
      }
      if (c.phase === 'PULLED' || c.phase === 'WAITING') {
        const deps = [...c.def.dependsOn];
        const res = resolveDependencies(deps, states, now, c.waits);
        const waitsChanged = JSON.stringify(res.waits) !== JSON.stringify(c.waits);
        c.waits = [...res.waits];
        if (res.kind === 'impossible') {
          c.exitCode = 143;
          this.failContainer(c, `CannotStartContainerError: ${res.reason}`);
          continue;
        }
        if (res.kind === 'blocked') {
          if (res.nextDeadline !== undefined) nextDeadline = Math.min(nextDeadline, res.nextDeadline);
          if (c.phase !== 'WAITING' || waitsChanged) {
            this.setPhase(c, 'WAITING', res.reason);
            this.deps.onPersist();
          }
          continue;
        }
        if (!this.volumesFromReady(c)) continue;
        if (waitsChanged) this.deps.onPersist();
        this.create(c);
        continue;
      }
      if (c.phase === 'CREATED') this.start(c);
    }
    this.armDeadline(nextDeadline);
    if (
      rt.pullStartedAt &&
      !rt.pullStoppedAt &&
      rt.containers.every((c) => c.phase !== 'NONE' && c.phase !== 'PULLING')
    ) {
      rt.pullStoppedAt = new Date(now).toISOString();
    }
    const allUp = rt.containers.every((c) => c.phase === 'RUNNING' || (c.phase === 'STOPPED' && c.startedAt));
    if (allUp && taskStatusRank(rt.lastStatus) < taskStatusRank('RUNNING')) {
      rt.startedAt = new Date(now).toISOString();
      this.setTaskStatus('RUNNING');
    }
  }

  /** volumesFrom sources must exist (created) before the container that mounts them. */
  private volumesFromReady(c: ContainerRuntime): boolean {
    return c.def.volumesFrom.every(
      (v) => this.rt.containers.find((x) => x.name === v.sourceContainer)?.dockerId,
    );
  }

  private convergeStopped(): void {
    const rt = this.rt;
    if (this.provisioning) return; // finish provisioning first; then everything is torn down
    if (taskStatusRank(rt.lastStatus) < taskStatusRank('STOPPING')) {
      this.setTaskStatus('STOPPING');
    }
    this.armDeadline(Infinity);
    for (const c of rt.containers) {
      if (c.phase === 'STOPPED' || c.op) continue;
      if (!c.dockerId || c.phase === 'CREATED') {
        // Never started: nothing to signal.
        this.setPhase(c, 'STOPPED', c.dockerId ? 'never started' : 'not created');
        this.changed();
        continue;
      }
      // Reverse dependency order: wait until every container depending on this one has stopped.
      const dependentsRunning = rt.containers.some(
        (d) =>
          d !== c && d.phase !== 'STOPPED' && d.def.dependsOn.some((dep) => dep.containerName === c.name),
      );
      if (dependentsRunning || c.stopSent) continue;
      this.stopContainer(c);
    }
    const idle = rt.containers.every((c) => c.phase === 'STOPPED' && !c.op);
    if (idle && !this.cleaning && rt.lastStatus !== 'STOPPED') this.cleanup();
  }

  private setTaskStatus(status: TaskLastStatus): void {
    if (taskStatusRank(status) <= taskStatusRank(this.rt.lastStatus)) return;
    this.rt.lastStatus = status;
    this.changed();
  }

  /** One timer for the nearest startTimeout deadline; re-evaluates dependencies when it fires. */
  private armDeadline(at: number): void {
    if (at === this.deadlineAt) return;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.deadlineAt = at;
    if (at === Infinity) return;
    this.deadlineTimer = setTimeout(
      () => {
        this.deadlineTimer = undefined;
        this.deadlineAt = Infinity;
        this.converge();
      },
      Math.max(0, at - this.now()) + 5,
    );
  }

  private armDeadlines(): void {
    // A start may set a new startTimeout deadline; converge computes it.
    this.converge();
  }

  // ---------------------------------------------------------------- Docker work (async, reports back)

  private provision(): void {
    this.provisioning = true;
    const rt = this.rt;
    const labelInput = labelInputOf(rt);
    (async () => {
      this.prepared = await this.deps.hooks.prepare(
        rt,
        () => this.detail(),
        (name) => rt.containers.find((c) => c.name === name)?.dockerId,
      );
      rt.endpointState = this.prepared.endpointState;
      const res = await provisionTaskResources(this.deps.docker, rt.definition, labelInput, {
        pauseImage: this.deps.pauseImage,
        extraHosts: this.prepared.extraHosts,
      });
      if (res.pauseContainerId) await this.attachEndpoints(res.pauseContainerId);
      return res;
    })().then(
      (res) => {
        this.provisioning = false;
        rt.volumeSources = Object.fromEntries(res.volumeSources);
        if (res.networkName) rt.networkName = res.networkName;
        if (res.pauseContainerId) rt.pauseContainerId = res.pauseContainerId;
        if (res.attachment) rt.attachments = [res.attachment];
        rt.provisioned = true;
        this.changed();
        this.converge();
      },
      (err: Error) => {
        this.provisioning = false;
        rt.provisioned = true;
        const reason = /^[A-Za-z]+Error: /.test(err.message)
          ? err.message
          : `ResourceInitializationError: ${err.message}`;
        for (const c of rt.containers) {
          c.reason = reason;
          c.failedReason = reason;
        }
        this.requestStop('TaskFailedToStart', reason);
        this.converge();
      },
    );
  }

  private pull(c: ContainerRuntime): void {
    c.op = 'pull';
    this.rt.pullStartedAt ??= new Date(this.now()).toISOString();
    this.setPhase(c, 'PULLING');
    this.changed();
    (async () => {
      const auth = await this.deps.hooks.registryAuth(c.def, this.rt);
      return this.deps.puller.ensure(
        c.def.image,
        this.rt.pullBehavior,
        (p) => this.deps.onPull(c.name, c.def.image, p),
        auth,
      );
    })().then(
      (res) => {
        c.op = undefined;
        if (res.imageDigest) c.imageDigest = res.imageDigest;
        c.imageId = res.imageId;
        if (this.rt.desiredStatus === 'STOPPED' && !this.rt.containers.some((x) => x.op === 'pull')) {
          this.rt.pullStoppedAt ??= new Date(this.now()).toISOString();
        }
        this.setPhase(
          c,
          'PULLED',
          res.usedCache ? 'pull failed; using cached image' : res.pulled ? undefined : 'cached',
        );
        this.changed();
        this.converge();
      },
      (err: Error) => {
        c.op = undefined;
        // As the agent does: a failed pull still ends the pull phase (the task is stopping, so
        // convergeRunning, which normally records it, will not run again).
        if (!this.rt.containers.some((x) => x.op === 'pull')) {
          this.rt.pullStoppedAt ??= new Date(this.now()).toISOString();
        }
        this.failContainer(
          c,
          err.message.startsWith('CannotPullContainerError') ||
            err.message.startsWith('ResourceInitializationError')
            ? err.message
            : `CannotPullContainerError: ${err.message}`,
        );
        this.converge();
      },
    );
  }

  private create(c: ContainerRuntime): void {
    c.op = 'create';
    const rt = this.rt;
    let options: Docker.ContainerCreateOptions;
    try {
      options = appContainerOptions(rt, c, this.prepared);
    } catch (err) {
      this.failContainer(c, `CannotCreateContainerError: ${(err as Error).message}`);
      this.converge();
      return;
    }
    this.deps.docker.createContainer(options).then(
      (container) => {
        c.op = undefined;
        c.dockerId = container.id;
        c.createdAt = new Date(this.now()).toISOString();
        this.setPhase(c, 'CREATED');
        this.changed();
        this.converge();
      },
      (err: Error) => {
        this.failContainer(c, `CannotCreateContainerError: ${dockerMessage(err)}`);
        this.converge();
      },
    );
  }

  private start(c: ContainerRuntime): void {
    c.op = 'start';
    const id = c.dockerId!;
    (async () => {
      if (this.prepared && this.rt.definition.networkMode === 'bridge')
        await this.prepared.beforeStart?.(c.name, id);
      await this.deps.docker.getContainer(id).start();
      // Not awaited: the container is running; the route to 169.254.170.2 follows within moments.
      if (this.rt.definition.networkMode === 'bridge') void this.attachEndpoints(id, c);
    })().then(
      () => {
        c.op = undefined;
        // The `start` event normally arrives first; this covers a missed one.
        this.containerStarted(c, c.startedAt ?? new Date(this.now()).toISOString());
        this.converge();
      },
      (err: Error) => {
        c.op = undefined;
        this.failContainer(c, `CannotStartContainerError: ${dockerMessage(err)}`);
        this.converge();
      },
    );
  }

  /**
   * Makes 169.254.170.2 answer in a network namespace. A failure does not fail the task (the
   * app may never call the endpoints); it is recorded where the user will see it.
   */
  private async attachEndpoints(networkContainerId: string, c?: ContainerRuntime): Promise<void> {
    try {
      await this.prepared?.attach(networkContainerId);
    } catch (err) {
      const note = `task endpoints unreachable at 169.254.170.2: ${(err as Error).message}`;
      for (const x of c ? [c] : this.rt.containers)
        x.phases.push({ at: new Date(this.now()).toISOString(), phase: x.phase, detail: note });
      this.deps.onPersist();
    }
  }

  private stopContainer(c: ContainerRuntime): void {
    c.stopSent = true;
    const t = c.def.stopTimeout ?? DEFAULT_STOP_TIMEOUT_S;
    this.setPhase(c, 'STOPPING');
    this.deps.onPersist();
    this.deps.docker
      .getContainer(c.dockerId!)
      .stop({ t })
      .catch((err: { statusCode?: number }) => {
        // 304: already stopped — its `die` event (or the check below) settles it.
        if (err.statusCode === 404)
          this.containerExited(c, c.exitCode, new Date(this.now()).toISOString(), false);
        else if (err.statusCode === 304) this.settleFromInspect(c);
      });
  }

  private settleFromInspect(c: ContainerRuntime): void {
    this.deps.docker
      .getContainer(c.dockerId!)
      .inspect()
      .then((info) => {
        if (!info.State.Running)
          this.containerExited(c, info.State.ExitCode, info.State.FinishedAt, info.State.OOMKilled);
      })
      .catch(() => this.containerExited(c, c.exitCode, new Date(this.now()).toISOString(), false));
  }

  private refreshBindings(c: ContainerRuntime): void {
    const id = this.rt.definition.networkMode === 'awsvpc' ? this.rt.pauseContainerId : c.dockerId;
    if (!id || c.def.portMappings.length === 0) return;
    this.deps.docker
      .getContainer(id)
      .inspect()
      .then((info) => {
        const all = bindingsOf(info);
        const mine = all.filter((b) =>
          c.def.portMappings.some((p) => p.containerPort === b.containerPort && p.protocol === b.protocol),
        );
        if (this.rt.definition.networkMode === 'host') {
          c.networkBindings = c.def.portMappings.map((p) => ({
            bindIP: '0.0.0.0',
            containerPort: p.containerPort,
            hostPort: p.containerPort,
            protocol: p.protocol,
          }));
        } else c.networkBindings = mine;
        this.changed();
      })
      .catch(() => {});
  }

  private cleanup(): void {
    this.cleaning = true;
    const rt = this.rt;
    rt.executionStoppedAt ??= new Date(this.now()).toISOString();
    if (rt.networkName) this.setTaskStatus('DEPROVISIONING');
    (async () => {
      // Let every log stream drain before its container disappears.
      await this.logs.drain();
      // The OOM flag can trail the exit: ask Docker once more before the containers are removed.
      await Promise.all(
        rt.containers
          .filter((c) => c.dockerId && c.exitCode !== undefined && !c.reason)
          .map((c) =>
            this.deps.docker
              .getContainer(c.dockerId!)
              .inspect()
              .then((info) => {
                if (info.State.OOMKilled && !c.reason) {
                  c.oomKilled = true;
                  c.reason = 'OutOfMemoryError: Container killed due to memory usage';
                }
              })
              .catch(() => {}),
          ),
      );
      await this.prepared?.dispose().catch(() => {});
      if (!rt.keep) await removeTaskResources(this.deps.docker, rt.taskId);
    })().then(
      () => this.finish(),
      () => this.finish(),
    );
  }

  private finish(): void {
    const rt = this.rt;
    if (rt.attachments[0]) rt.attachments = [{ ...rt.attachments[0], status: 'DELETED' }];
    rt.stoppedAt = new Date(this.now()).toISOString();
    rt.lastStatus = 'STOPPED';
    this.changed();
    const d = this.detail();
    for (const w of this.stoppedWaiters.splice(0)) w(d);
  }

  /** Records a change: bumps the version and tells the engine (which emits the event). */
  private changed(): void {
    this.rt.version++;
    this.deps.onChange(this.detail());
  }

  /** Stops timers and log followers without touching Docker (engine shutdown; task keeps running). */
  detach(): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.logs.detach();
  }

  /** Name prefix of this task's Docker objects. */
  static dockerName(family: string, taskId: string, container: string): string {
    return `${resourcePrefix(family, taskId)}-${container}`;
  }
}
