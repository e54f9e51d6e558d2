/**
 * One service's actor: the only writer of its record. Inputs (engine task events, target health
 * changes, timers, user updates) change the record synchronously and ask for a reconcile; one
 * reconcile runs at a time, asks the pure scheduler (scheduler/decide.ts) what to do, and runs the
 * effects: RunTask, drain-then-stop, deployment state changes, events.
 */
import type { TaskDetail } from '../../contract/dto.js';
import type { ServiceActionEvent, ServiceTaskMilestone, ServiceView } from '../../contract/service-dto.js';
import type { TaskEngineApi } from '../engine/engine-api.js';
import type { LoadBalancerApi, TargetHealthChange, TargetRef } from './load-balancer-api.js';
import type { ServiceRecord, ServiceStore } from './service-store.js';
import type { DeploymentState, ServiceTaskState } from './scheduler/scheduler-state.js';
import { decide, isHealthy, throttleAfterFailure, type SchedulerAction } from './scheduler/decide.js';
import {
  actionEvent,
  addMilestone,
  appendEvent,
  nextWake,
  pruneStoppedTasks,
  pushDeployment,
  retireDeployments,
  schedulerStateOf,
} from './service-record.js';
import { buildView, messages } from './service-messages.js';
import { targetFor } from './service-targets.js';
import { drainThenStop } from './service-drain.js';
import { checkSummary } from './service-messages.js';

/** What an actor needs from its manager. */
export interface ActorContext {
  readonly engine: TaskEngineApi;
  readonly loadBalancer: LoadBalancerApi;
  readonly store: ServiceStore;
  readonly region: string;
  readonly account: string;
  readonly arns: { readonly clusterArn: string; readonly serviceArn: string };
  readonly now: () => Date;
  /** Base delay of the start throttle (ECS-like default 10 s; tests may shorten it). */
  readonly throttleBaseMs: number;
  emitChanged(view: ServiceView): void;
  emitEvent(serviceName: string, message: string, at: string): void;
  emitAction(event: ServiceActionEvent): void;
}

/** The per-service actor. */
export class ServiceActor {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private waitingFor: string | undefined;
  private closed = false;
  private readonly stopsInFlight = new Set<Promise<void>>();
  private readonly idle: (() => void)[] = [];

  constructor(
    readonly record: ServiceRecord,
    private readonly ctx: ActorContext,
  ) {}

  get name(): string {
    return this.record.input.service.serviceName;
  }

  /** The service as DescribeServices shows it. */
  view(): ServiceView {
    const groups = this.record.input.targetGroups
      .map((g) => this.ctx.loadBalancer.describeTargetGroup(g.targetGroupArn))
      .filter((g) => g !== undefined);
    return buildView(this.record, this.ctx.arns, groups, this.waitingFor);
  }

  /** An engine task event for one of this service's tasks (or a task it just launched). */
  onTask(task: TaskDetail): void {
    const t = this.record.tasks.find((x) => x.taskId === task.taskId);
    if (!t || t.lastStatus === 'STOPPED') return;
    const was = t.lastStatus;
    t.lastStatus = task.lastStatus;
    t.healthStatus = task.healthStatus;
    if (was !== 'RUNNING' && task.lastStatus === 'RUNNING') {
      t.runningAt = this.ctx.now().toISOString();
      this.milestone(t.taskId, 'running');
    }
    // Registered once RUNNING and its address is known (host ports can arrive in a later event).
    if (task.lastStatus === 'RUNNING' && !t.stopping) this.register(t, task);
    // Stopping on its own (essential exit, OOM, killed): no new requests to it from now on.
    if (!t.stopping && task.desiredStatus === 'STOPPED') this.dropTargets(t);
    if (task.lastStatus === 'STOPPED') this.onStopped(t, task);
    if (isHealthy(t, this.state())) this.markHealthy(t);
    this.poke();
  }

  private dropTargets(t: ServiceTaskState): void {
    for (const arn of Object.keys(t.targets)) {
      this.ctx.loadBalancer.deregisterTarget(arn, t.taskId).catch(() => undefined);
    }
    t.targets = {};
  }

  /** A health check of one of this service's targets ended: its timeline grows (pushed, not re-read). */
  onTargetCheck(targetGroupArn: string): void {
    if (!this.record.input.targetGroups.some((g) => g.targetGroupArn === targetGroupArn)) return;
    this.ctx.emitChanged(this.view());
  }

  /** A target health change from the load balancer. */
  onTargetHealth(change: TargetHealthChange): void {
    const t = this.record.tasks.find((x) => x.taskId === change.target.taskId);
    if (!t || !this.record.input.targetGroups.some((g) => g.targetGroupArn === change.targetGroupArn)) return;
    if (t.stopping || t.lastStatus === 'STOPPED') return;
    t.targets[change.targetGroupArn] = change.state;
    const detail = checkSummary(this.ctx.loadBalancer.describeTargetGroup(change.targetGroupArn), t.taskId);
    if (detail ?? change.description) t.targetDetail[change.targetGroupArn] = (detail ?? change.description)!;
    if (change.state === 'unhealthy') {
      this.milestone(t.taskId, 'unhealthy', detail ?? change.description);
      const reason = change.description ?? change.reason ?? 'Health checks failed';
      this.event(messages.unhealthy(this.name, change.target.port, change.targetGroupArn, reason));
    }
    if (isHealthy(t, this.state())) this.markHealthy(t);
    this.poke();
  }

  /** UpdateService: desired count and/or a new deployment. */
  update(input: {
    desiredCount?: number;
    deployment?: { ref: string; definition: DeploymentState['taskDefinition'] };
  }): void {
    const r = this.record;
    if (input.desiredCount !== undefined && input.desiredCount !== r.desiredCount) {
      r.desiredCount = input.desiredCount;
      r.steady = false;
    }
    if (input.deployment)
      this.newDeployment(
        input.deployment.ref,
        input.deployment.definition,
        'ECS deployment {id} in progress.',
      );
    this.poke();
  }

  /** Starts a deployment (initial, update, force or rollback); it becomes PRIMARY. */
  newDeployment(ref: string, definition: DeploymentState['taskDefinition'], reason: string): DeploymentState {
    const dep = pushDeployment(this.record, ref, definition, reason, this.ctx.now().toISOString());
    const id = dep.id;
    this.action('ECS Deployment State Change', 'INFO', 'SERVICE_DEPLOYMENT_IN_PROGRESS', {
      deploymentId: id,
      reason: dep.rolloutStateReason,
    });
    return dep;
  }

  /** DeleteService (force): stop everything, resolve when no task is left. */
  async delete(): Promise<void> {
    this.record.deleting = true;
    this.record.desiredCount = 0;
    this.poke();
    await new Promise<void>((resolve) => this.idle.push(resolve));
    await Promise.all(this.stopsInFlight);
  }

  /** Re-links after a restart: targets of RUNNING tasks re-registered, interrupted stops redone. */
  readopt(): void {
    for (const t of this.record.tasks) {
      if (t.lastStatus === 'STOPPED') continue;
      const task = this.ctx.engine.describeTask(t.taskId);
      if (!task || task.lastStatus === 'STOPPED') {
        t.lastStatus = 'STOPPED';
        continue;
      }
      t.lastStatus = task.lastStatus;
      t.healthStatus = task.healthStatus;
      t.targets = {};
      if (t.stopping) {
        t.stopping = false;
        this.stop(t, t.stopReason ?? 'interrupted stop');
      } else if (task.lastStatus === 'RUNNING') this.register(t, task);
    }
    this.poke();
  }

  /** Stops timers; tasks keep running. */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Asks for a reconcile (coalesced; one at a time). */
  poke(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.reconcileLoop().finally(() => (this.running = undefined));
  }

  private async reconcileLoop(): Promise<void> {
    do {
      this.again = false;
      await this.reconcile().catch((err: unknown) =>
        this.event(`(service ${this.name}) scheduler error: ${(err as Error).message}`),
      );
    } while (this.again && !this.closed);
  }

  private state() {
    return schedulerStateOf(this.record);
  }

  private async reconcile(): Promise<void> {
    const now = this.ctx.now().getTime();
    const decision = decide(this.state(), now);
    this.waitingFor = decision.waitingFor;
    for (const a of decision.actions) await this.apply(a);
    // A deployment changed state (a rollback became PRIMARY…): decide again on the new state.
    if (decision.actions.some((a) => a.kind === 'fail' || a.kind === 'rollback' || a.kind === 'complete'))
      this.again = true;
    retireDeployments(this.record);
    pruneStoppedTasks(this.record, now);
    this.record.version += 1;
    await this.ctx.store.save(this.record);
    this.ctx.emitChanged(this.view());
    this.armTimer(now);
    const live = this.record.tasks.some((t) => t.lastStatus !== 'STOPPED');
    if (this.record.deleting && !live && this.stopsInFlight.size === 0)
      for (const done of this.idle.splice(0)) done();
  }

  private async apply(a: SchedulerAction): Promise<void> {
    const r = this.record;
    const dep = (id: string) => r.deployments.find((d) => d.id === id);
    switch (a.kind) {
      case 'start':
        return this.start(a.deploymentId, a.count);
      case 'stop': {
        const t = r.tasks.find((x) => x.taskId === a.taskId);
        if (t) this.stop(t, a.reason);
        return;
      }
      case 'complete': {
        const d = dep(a.deploymentId);
        if (!d) return;
        d.rolloutState = 'COMPLETED';
        d.rolloutStateReason = 'ECS deployment completed.';
        d.updatedAt = this.ctx.now().toISOString();
        this.event(messages.completed(this.name, d.id));
        this.action('ECS Deployment State Change', 'INFO', 'SERVICE_DEPLOYMENT_COMPLETED', {
          deploymentId: d.id,
          reason: d.rolloutStateReason,
        });
        return;
      }
      case 'fail': {
        const d = dep(a.deploymentId);
        if (!d) return;
        d.rolloutState = 'FAILED';
        d.rolloutStateReason = a.reason;
        d.updatedAt = this.ctx.now().toISOString();
        this.event(messages.failed(this.name, d.id, 'tasks failed to start.'));
        this.action('ECS Deployment State Change', 'ERROR', 'SERVICE_DEPLOYMENT_FAILED', {
          deploymentId: d.id,
          reason: a.reason,
        });
        return;
      }
      case 'rollback': {
        const to = dep(a.toId);
        if (!to) return;
        const reason = `ECS deployment circuit breaker: rolling back to deploymentId ${to.id}.`;
        this.event(messages.rollingBack(this.name, a.failedId, to.id));
        this.newDeployment(to.taskDefinitionRef, to.taskDefinition, reason);
        return;
      }
      case 'steady':
        r.steady = true;
        this.event(messages.steady(this.name));
        this.action('ECS Service Action', 'INFO', 'SERVICE_STEADY_STATE', {});
        return;
    }
  }

  private async start(deploymentId: string, count: number): Promise<void> {
    const d = this.record.deployments.find((x) => x.id === deploymentId);
    if (!d) return;
    const s = this.record.input.service;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      let task: TaskDetail;
      try {
        task = await this.ctx.engine.runTask({
          taskDefinition: d.taskDefinition,
          group: `service:${s.serviceName}`,
          startedBy: d.id,
          enableExecuteCommand: s.enableExecuteCommand,
          ...(s.launchType ? { launchType: s.launchType } : {}),
        });
      } catch (err) {
        // RunTask refused (Docker unreachable, bad input): throttled like a failed start, retried by the timer.
        this.event(`(service ${this.name}) was unable to start a task: ${(err as Error).message}`);
        this.countFailure(undefined);
        const retryAt = this.ctx.now().getTime() + Math.min(this.ctx.throttleBaseMs, 1000);
        this.record.throttle.nextStartAt = Math.max(this.record.throttle.nextStartAt, retryAt);
        break;
      }
      const t: ServiceTaskState = {
        taskId: task.taskId,
        deploymentId,
        lastStatus: 'PROVISIONING',
        healthStatus: 'UNKNOWN',
        healthChecked: d.taskDefinition.containerDefinitions.some(
          (c) => c.essential && c.healthCheck !== undefined,
        ),
        targets: {},
        targetDetail: {},
      };
      this.record.tasks.push(t);
      this.milestone(t.taskId, 'started');
      ids.push(task.taskId);
      // Events for it may have arrived before RunTask resolved: catch up from the engine.
      this.onTask(this.ctx.engine.describeTask(task.taskId) ?? task);
    }
    if (ids.length > 0) this.event(messages.started(this.name, ids));
  }

  /** Deregister (drain) every target, then StopTask: the ECS order. */
  private stop(t: ServiceTaskState, reason: string): void {
    if (t.stopping) return;
    t.stopping = true;
    t.stopReason = reason;
    this.record.steady = false;
    if (!t.everHealthy && this.isPrimaryTask(t) && /health/.test(reason)) this.countFailure(t);
    const arns = Object.keys(t.targets);
    const run = () =>
      drainThenStop(this.ctx, this.name, t.taskId, arns, reason, {
        milestone: (kind, detail) => this.milestone(t.taskId, kind, detail),
        event: (m) => this.event(m),
        stopRequested: () => this.action('ECS Service Action', 'INFO', 'TASKS_STOPPED', { reason }),
        // After close() the next manager redoes this stop (the record says `stopping`).
        isStopped: () => t.lastStatus === 'STOPPED' || this.closed,
      });
    const p = run()
      .catch((err: unknown) =>
        this.event(`(service ${this.name}) could not stop task ${t.taskId}: ${(err as Error).message}`),
      )
      .finally(() => {
        this.stopsInFlight.delete(p);
        this.poke();
      });
    this.stopsInFlight.add(p);
  }

  private onStopped(t: ServiceTaskState, task: TaskDetail): void {
    this.milestone(t.taskId, 'stopped', task.stoppedReason);
    this.record.steady = false;
    if (!t.stopping) {
      // Stopped outside the scheduler (essential exit, OOM, killed): count a failed start.
      this.dropTargets(t);
      if (!t.everHealthy) this.countFailure(t);
    }
  }

  private countFailure(t: ServiceTaskState | undefined): void {
    const d = this.record.deployments.find(
      (x) => x.id === (t?.deploymentId ?? this.record.deployments[0]?.id),
    );
    if (d && (!t || this.isPrimaryTask(t))) d.failedTasks += 1;
    const r = this.record;
    r.throttle = throttleAfterFailure(r.throttle, this.ctx.now().getTime(), this.ctx.throttleBaseMs);
    if (r.throttle.nextStartAt > this.ctx.now().getTime() && !r.throttle.impairedReported) {
      r.throttle.impairedReported = true;
      this.event(messages.impaired(this.name));
      this.action('ECS Service Action', 'WARN', 'SERVICE_TASK_START_IMPAIRED', {});
    }
  }

  private markHealthy(t: ServiceTaskState): void {
    if (t.everHealthy) return;
    t.everHealthy = true;
    this.milestone(t.taskId, 'healthy');
    this.record.throttle = { consecutiveFailures: 0, nextStartAt: 0, impairedReported: false };
  }

  private register(t: ServiceTaskState, task: TaskDetail): void {
    for (const l of this.record.input.service.loadBalancers) {
      if (t.targets[l.targetGroupArn] !== undefined) continue;
      const target: TargetRef | undefined = targetFor(task, l.containerName, l.containerPort);
      if (!target) continue;
      this.ctx.loadBalancer.registerTarget(l.targetGroupArn, target);
      t.targets[l.targetGroupArn] = 'initial';
      this.milestone(t.taskId, 'registered', `${target.host}:${target.port}`);
      this.event(messages.registered(this.name, 1, l.targetGroupArn));
    }
  }

  private isPrimaryTask(t: ServiceTaskState): boolean {
    return this.record.deployments[0]?.id === t.deploymentId;
  }

  private armTimer(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    const next = nextWake(this.record, now);
    if (next !== undefined) this.timer = setTimeout(() => this.poke(), next - now + 5);
  }

  private milestone(taskId: string, kind: ServiceTaskMilestone, detail?: string): void {
    addMilestone(this.record, taskId, kind, this.ctx.now().toISOString(), detail);
  }

  private event(message: string): void {
    const at = this.ctx.now().toISOString();
    appendEvent(this.record, message, at);
    this.ctx.emitEvent(this.name, message, at);
  }

  private action(
    type: ServiceActionEvent['detail-type'],
    eventType: ServiceActionEvent['detail']['eventType'],
    eventName: string,
    extra: { deploymentId?: string; reason?: string },
  ): void {
    this.ctx.emitAction(
      actionEvent(this.ctx, type, eventType, eventName, this.ctx.now().toISOString(), extra),
    );
  }
}
