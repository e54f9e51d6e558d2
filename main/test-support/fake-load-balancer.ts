/**
 * Unit-test double of LoadBalancerApi: targets in memory, health set by the test, deregistration
 * held until released (or immediate), and a call log to check ordering. No sockets.
 */
import type { TargetGroupView, TargetHealthState } from '../../contract/service-dto.js';
import type {
  LoadBalancerApi,
  LoadBalancerEvents,
  TargetHealthChange,
  TargetRef,
} from '../ecs-service/load-balancer-api.js';
import type { TargetGroupSpec } from '../ecs-service/target-group-spec.js';

/** The in-memory load balancer with test controls. */
export class FakeLoadBalancer implements LoadBalancerApi {
  readonly log: string[] = [];
  readonly groups = new Map<
    string,
    { spec: TargetGroupSpec; targets: Map<string, { ref: TargetRef; state: TargetHealthState }> }
  >();
  /** Hold deregistrations until `releaseDrains()`. */
  holdDrains = false;
  /** Health a newly registered target reaches by itself (undefined: stays initial). */
  autoHealth: TargetHealthState | undefined = 'healthy';
  private readonly held: (() => void)[] = [];
  private readonly listeners = new Set<LoadBalancerEvents['targetHealth']>();

  addTargetGroup(spec: TargetGroupSpec): Promise<void> {
    this.groups.set(spec.targetGroupArn, { spec, targets: new Map() });
    return Promise.resolve();
  }
  removeTargetGroup(arn: string): Promise<void> {
    this.log.push(`removeTargetGroup ${arn}`);
    this.groups.delete(arn);
    return Promise.resolve();
  }
  registerTarget(arn: string, target: TargetRef): void {
    const g = this.groups.get(arn);
    if (!g || g.targets.has(target.taskId)) return;
    this.log.push(`register ${target.taskId}`);
    g.targets.set(target.taskId, { ref: target, state: 'initial' });
    this.set(arn, target.taskId, 'initial');
    const auto = this.autoHealth;
    if (auto) setTimeout(() => this.set(arn, target.taskId, auto), 5);
  }
  deregisterTarget(arn: string, taskId: string): Promise<void> {
    this.log.push(`deregister ${taskId}`);
    this.set(arn, taskId, 'draining');
    return new Promise((resolve) => {
      const done = () => {
        this.log.push(`drained ${taskId}`);
        this.groups.get(arn)?.targets.delete(taskId);
        resolve();
      };
      if (this.holdDrains) this.held.push(done);
      else setTimeout(done, 1);
    });
  }
  /** Ends every held deregistration. */
  releaseDrains(): void {
    for (const d of this.held.splice(0)) d();
  }
  /** Sets a target's health and emits the change. */
  set(arn: string, taskId: string, state: TargetHealthState, description?: string): void {
    const t = this.groups.get(arn)?.targets.get(taskId);
    if (!t) return;
    const previous = t.state === state ? undefined : t.state;
    t.state = state;
    const change: TargetHealthChange = {
      targetGroupArn: arn,
      target: t.ref,
      state,
      previous,
      ...(description ? { description } : {}),
      at: new Date().toISOString(),
    };
    for (const l of this.listeners) l(change);
  }
  describeTargetGroup(arn: string): TargetGroupView | undefined {
    const g = this.groups.get(arn);
    if (!g) return undefined;
    const s = g.spec;
    return {
      targetGroupArn: arn,
      targetGroupName: s.name,
      protocol: 'HTTP',
      port: s.port,
      targetType: s.targetType,
      healthCheckPath: s.healthCheckPath,
      healthCheckIntervalSeconds: s.healthCheckIntervalSeconds,
      healthCheckTimeoutSeconds: s.healthCheckTimeoutSeconds,
      healthyThresholdCount: s.healthyThresholdCount,
      unhealthyThresholdCount: s.unhealthyThresholdCount,
      matcher: s.matcher,
      deregistrationDelaySeconds: s.deregistrationDelaySeconds,
      targets: [...g.targets.values()].map((t) => ({
        id: `${t.ref.host}:${t.ref.port}`,
        host: t.ref.host,
        port: t.ref.port,
        taskId: t.ref.taskId,
        containerName: t.ref.containerName,
        state: t.state,
        registeredAt: '',
        inFlightRequests: 0,
        checks: [],
        history: [],
      })),
    };
  }
  on<K extends keyof LoadBalancerEvents>(name: K, listener: LoadBalancerEvents[K]): () => void {
    // Health checks are not simulated here: only state changes are pushed.
    if (name !== 'targetHealth') return () => undefined;
    const l = listener as LoadBalancerEvents['targetHealth'];
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
