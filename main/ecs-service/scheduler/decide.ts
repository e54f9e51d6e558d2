/**
 * The service scheduler's pure decisions (ECS REPLICA strategy, rolling update): given a service's
 * state and the time, which tasks to start and stop and which deployment changes state. No I/O;
 * the service manager applies the actions. Rules and the ECS facts behind them: ../README.md.
 */
import type { DeploymentState, SchedulerState, ServiceTaskState, ThrottleState } from './scheduler-state.js';

/** One thing the manager should do. */
export type SchedulerAction =
  | { readonly kind: 'start'; readonly deploymentId: string; readonly count: number }
  | { readonly kind: 'stop'; readonly taskId: string; readonly reason: string }
  | { readonly kind: 'complete'; readonly deploymentId: string }
  | { readonly kind: 'fail'; readonly deploymentId: string; readonly reason: string }
  | { readonly kind: 'rollback'; readonly failedId: string; readonly toId: string }
  | { readonly kind: 'steady' };

/** The decisions plus, for the primary deployment, why it is not done yet. */
export interface Decision {
  readonly actions: readonly SchedulerAction[];
  readonly waitingFor?: string;
}

/** ECS circuit breaker threshold: 0.5 × desired count, rounded up, at least 3 and at most 200. */
export function failureThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(desiredCount * 0.5)));
}

/** Most tasks (any deployment, draining included) allowed: floor(desired × maximumPercent / 100). */
export function maxTasks(desired: number, maximumPercent: number): number {
  return Math.floor((desired * maximumPercent) / 100);
}

/** Fewest healthy tasks to keep during a deployment: ceil(desired × minimumHealthyPercent / 100). */
export function minHealthyTasks(desired: number, minimumHealthyPercent: number): number {
  return Math.ceil((desired * minimumHealthyPercent) / 100);
}

const NOT_STARTED = new Set(['PROVISIONING', 'PENDING', 'ACTIVATING']);
const shortId = (id: string) => id.slice(0, 8);

/** Whether the grace period (from RUNNING) still protects the task from health-based replacement. */
export function inGracePeriod(task: ServiceTaskState, graceSeconds: number, now: number): boolean {
  if (graceSeconds <= 0 || task.runningAt === undefined) return false;
  return now < Date.parse(task.runningAt) + graceSeconds * 1000;
}

/** RUNNING, not being stopped, every target healthy, and HEALTHY when an essential container has a health check. */
export function isHealthy(task: ServiceTaskState, s: Pick<SchedulerState, 'targetGroupArns'>): boolean {
  if (task.stopping || task.lastStatus !== 'RUNNING' || task.healthStatus === 'UNHEALTHY') return false;
  if (task.healthChecked && task.healthStatus !== 'HEALTHY') return false;
  return s.targetGroupArns.every((arn) => task.targets[arn] === 'healthy');
}

/** Failing health checks (LB unhealthy or container UNHEALTHY); replaceable once out of grace. */
export function isUnhealthy(task: ServiceTaskState, s: Pick<SchedulerState, 'targetGroupArns'>): boolean {
  if (task.stopping || task.lastStatus !== 'RUNNING') return false;
  return (
    task.healthStatus === 'UNHEALTHY' || s.targetGroupArns.some((arn) => task.targets[arn] === 'unhealthy')
  );
}

const live = (t: ServiceTaskState) => t.lastStatus !== 'STOPPED';
/** Past RUNNING on its own (essential exit, killed): replaced now, but still counted toward maximumPercent. */
const LEAVING = new Set(['DEACTIVATING', 'STOPPING', 'DEPROVISIONING']);

/**
 * Scale-in order (Taskdeck's, following ECS's preference for tasks that do the least harm):
 * not yet running first, then unhealthy, then not yet healthy, then the newest.
 */
export function scaleInOrder(
  tasks: readonly ServiceTaskState[],
  s: Pick<SchedulerState, 'targetGroupArns'>,
): ServiceTaskState[] {
  const rank = (t: ServiceTaskState) =>
    NOT_STARTED.has(t.lastStatus) ? 0 : isUnhealthy(t, s) ? 1 : !isHealthy(t, s) ? 2 : 3;
  return [...tasks].sort((a, b) => rank(a) - rank(b) || (b.runningAt ?? '').localeCompare(a.runningAt ?? ''));
}

/** Throttle after a failed start: 3 failures in a row start an exponential delay (base × 2^(n−3)), capped at 27 minutes. */
export function throttleAfterFailure(t: ThrottleState, now: number, baseMs: number): ThrottleState {
  const n = t.consecutiveFailures + 1;
  if (n < 3) return { ...t, consecutiveFailures: n };
  const delay = Math.min(27 * 60_000, baseMs * 2 ** (n - 3));
  return { ...t, consecutiveFailures: n, nextStartAt: now + delay };
}

/** The rolling-update and replacement decisions for one service at `now` (epoch ms). */
export function decide(s: SchedulerState, now: number): Decision {
  const actions: SchedulerAction[] = [];
  const stopping = new Set(s.tasks.filter((t) => t.stopping && live(t)).map((t) => t.taskId));
  const stop = (t: ServiceTaskState, reason: string) => {
    stopping.add(t.taskId);
    actions.push({ kind: 'stop', taskId: t.taskId, reason });
  };
  const active = () =>
    s.tasks.filter((t) => live(t) && !stopping.has(t.taskId) && !LEAVING.has(t.lastStatus));
  if (s.deleting) {
    for (const t of active()) stop(t, 'the service is being deleted');
    return { actions };
  }
  const primary = s.deployments[0];
  if (!primary) return { actions };

  // 1. Unhealthy tasks (out of the grace period) are replaced.
  for (const t of active()) {
    if (isUnhealthy(t, s) && !inGracePeriod(t, s.healthCheckGracePeriodSeconds, now)) {
      stop(t, `task ${shortId(t.taskId)} failed health checks`);
    }
  }
  // 2. Circuit breaker.
  if (s.circuitBreaker.enable && primary.rolloutState === 'IN_PROGRESS') {
    const threshold = failureThreshold(s.desiredCount);
    if (primary.failedTasks >= threshold) {
      actions.push({
        kind: 'fail',
        deploymentId: primary.id,
        reason: 'ECS deployment circuit breaker: tasks failed to start.',
      });
      const last = s.deployments.find((d) => d.id !== primary.id && d.rolloutState === 'COMPLETED');
      if (s.circuitBreaker.rollback && last)
        actions.push({ kind: 'rollback', failedId: primary.id, toId: last.id });
      return { actions, waitingFor: `circuit breaker: ${primary.failedTasks} of ${threshold} tasks failed` };
    }
  }
  const isPrimary = (t: ServiceTaskState) => t.deploymentId === primary.id;
  const old = () => active().filter((t) => !isPrimary(t));
  // 3. Old tasks that are not healthy are stopped at once (they hold up nothing).
  for (const t of old())
    if (!isHealthy(t, s)) stop(t, `task ${shortId(t.taskId)} of an old deployment is not healthy`);

  // 4. Scale in the primary when it has more than desired.
  const primaryLive = active().filter(isPrimary);
  const excess = primaryLive.length - s.desiredCount;
  if (excess > 0) for (const t of scaleInOrder(primaryLive, s).slice(0, excess)) stop(t, 'scale-in');

  // 5. Start primary tasks within maximumPercent (tasks count until STOPPED, draining ones too),
  //    unless throttled or FAILED.
  const cap = maxTasks(s.desiredCount, s.maximumPercent);
  const allLive = s.tasks.filter(live).length;
  const missing = s.desiredCount - Math.min(primaryLive.length, s.desiredCount);
  const room = Math.max(0, cap - allLive);
  const throttled = now < s.throttle.nextStartAt;
  const canStart = primary.rolloutState !== 'FAILED' && !throttled;
  const toStart = canStart ? Math.min(missing, room) : 0;
  if (toStart > 0) actions.push({ kind: 'start', deploymentId: primary.id, count: toStart });

  // 6. Stop healthy old tasks while at least minimumHealthyPercent stays healthy.
  const healthy = active().filter((t) => isHealthy(t, s)).length;
  let canStop = healthy - minHealthyTasks(s.desiredCount, s.minimumHealthyPercent);
  for (const t of scaleInOrder(old(), s)) {
    if (canStop <= 0) break;
    stop(t, `task ${shortId(t.taskId)} replaced by the new deployment`);
    canStop -= 1;
  }

  // 7. Completion and steady state.
  const primaryHealthy = active().filter((t) => isPrimary(t) && isHealthy(t, s)).length;
  const done =
    old().length === 0 &&
    primaryHealthy === s.desiredCount &&
    active().filter(isPrimary).length === s.desiredCount;
  const drainingLeft = s.tasks.some((t) => live(t) && stopping.has(t.taskId));
  if (done && primary.rolloutState === 'IN_PROGRESS' && !drainingLeft)
    actions.push({ kind: 'complete', deploymentId: primary.id });
  if (done && !drainingLeft && !s.steady) actions.push({ kind: 'steady' });
  if (done && !drainingLeft) return { actions };
  return { actions, waitingFor: waitingFor(s, primary, { throttled, now, drainingLeft, stopping }) };
}

function waitingFor(
  s: SchedulerState,
  primary: DeploymentState,
  ctx: { throttled: boolean; now: number; drainingLeft: boolean; stopping: ReadonlySet<string> },
): string {
  const parts: string[] = [];
  if (primary.rolloutState === 'FAILED') parts.push('deployment FAILED: no new tasks are launched');
  if (ctx.throttled) {
    const secs = Math.ceil((s.throttle.nextStartAt - ctx.now) / 1000);
    parts.push(
      `task starts throttled after ${s.throttle.consecutiveFailures} failed starts (next in ${secs} s)`,
    );
  }
  for (const t of s.tasks) {
    if (t.deploymentId !== primary.id || !live(t)) continue;
    const id = shortId(t.taskId);
    if (ctx.stopping.has(t.taskId)) {
      const failed = s.targetGroupArns.find((a) => t.targets[a] === 'unhealthy');
      const why = failed === undefined ? undefined : t.targetDetail[failed];
      if (why) parts.push(`new task ${id} failed health checks (${why}), being replaced`);
      continue;
    }
    if (isHealthy(t, s)) continue;
    if (t.lastStatus !== 'RUNNING') parts.push(`new task ${id} ${t.lastStatus}`);
    else if (t.healthStatus === 'UNHEALTHY') parts.push(`new task ${id} container health UNHEALTHY`);
    else {
      const arn = s.targetGroupArns.find((a) => t.targets[a] !== 'healthy');
      if (arn !== undefined) {
        const state = t.targets[arn] ?? 'not registered';
        const detail = t.targetDetail[arn];
        parts.push(`new task ${id} ${state}${detail ? `: ${detail}` : ''}`);
      } else parts.push(`new task ${id} container health ${t.healthStatus}`);
    }
  }
  const oldLive = s.tasks.filter((t) => t.deploymentId !== primary.id && live(t)).length;
  if (oldLive > 0) parts.push(`${oldLive} old task${oldLive === 1 ? '' : 's'} still running or draining`);
  else if (ctx.drainingLeft) parts.push('tasks draining');
  const running = s.tasks.filter(
    (t) => t.deploymentId === primary.id && live(t) && !ctx.stopping.has(t.taskId),
  ).length;
  if (running < s.desiredCount && !ctx.throttled)
    parts.push(`${running} of ${s.desiredCount} tasks launched`);
  return parts.join('; ') || 'reconciling';
}
