/**
 * DTOs of ECS services and their local load balancer (issue 13): what the engine's service
 * manager returns and pushes, in ECS DescribeServices / elbv2 DescribeTargetHealth shape plus
 * Taskdeck's extras. No runtime code (the preload imports this file's types only).
 */

/** A deployment's rollout state (ECS `rolloutState`). */
export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** ECS `deployment.status`: the newest is PRIMARY, older ones still running tasks ACTIVE, done INACTIVE. */
export type DeploymentStatus = 'PRIMARY' | 'ACTIVE' | 'INACTIVE';

/** elbv2 TargetHealth.State. */
export type TargetHealthState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

/** elbv2 TargetHealth.Reason (the ones a local load balancer can produce). */
export type TargetHealthReason =
  | 'Elb.RegistrationInProgress'
  | 'Elb.InitialHealthChecking'
  | 'Target.ResponseCodeMismatch'
  | 'Target.Timeout'
  | 'Target.FailedHealthChecks'
  | 'Target.NotRegistered'
  | 'Target.DeregistrationInProgress';

/** One ECS deployment of a service (DescribeServices `deployments[]`). */
export interface DeploymentView {
  /** `ecs-svc/<19 digits>` as on ECS. */
  readonly id: string;
  readonly status: DeploymentStatus;
  readonly taskDefinition: string;
  readonly desiredCount: number;
  readonly pendingCount: number;
  readonly runningCount: number;
  readonly failedTasks: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly rolloutState: RolloutState;
  readonly rolloutStateReason: string;
  /** Taskdeck: the circuit breaker's failure threshold for this deployment (absent when disabled). */
  readonly failureThreshold?: number;
  /** Taskdeck: why the deployment is not COMPLETED yet, in words ("new task unhealthy: GET /health → 500, 2 of 3 unhealthy checks"). */
  readonly waitingFor?: string;
}

/** One service event (DescribeServices `events[]`), newest first in lists. */
export interface ServiceEventView {
  readonly id: string;
  readonly createdAt: string;
  readonly message: string;
}

/** One load-balancer health check of one target. */
export interface TargetHealthCheckView {
  readonly at: string;
  /** HTTP status code, absent on a timeout or connection error. */
  readonly statusCode?: number;
  readonly latencyMs: number;
  readonly ok: boolean;
  /** Error text on a timeout or connection error ("timeout after 5 s", "ECONNREFUSED"). */
  readonly error?: string;
}

/** A registered (or recently deregistered) target of a target group. */
export interface TargetView {
  /** `ip:port` (awsvpc) or `127.0.0.1:hostPort` (bridge/host). */
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly taskId: string;
  readonly containerName: string;
  readonly state: TargetHealthState;
  readonly reason?: TargetHealthReason;
  readonly description?: string;
  readonly registeredAt: string;
  /** When draining ends (deregistration delay), while `state` is draining. */
  readonly drainingUntil?: string;
  readonly inFlightRequests: number;
  /** Every health check kept for this target (bounded, newest last). */
  readonly checks: readonly TargetHealthCheckView[];
  /** State changes, oldest first. */
  readonly history: readonly {
    readonly at: string;
    readonly state: TargetHealthState;
    readonly reason?: TargetHealthReason;
    readonly description?: string;
  }[];
}

/** A target group as the local load balancer runs it. */
export interface TargetGroupView {
  readonly targetGroupArn: string;
  readonly targetGroupName: string;
  readonly protocol: 'HTTP';
  readonly port: number;
  readonly targetType: 'ip' | 'instance';
  readonly healthCheckPath: string;
  readonly healthCheckIntervalSeconds: number;
  readonly healthCheckTimeoutSeconds: number;
  readonly healthyThresholdCount: number;
  readonly unhealthyThresholdCount: number;
  readonly matcher: string;
  readonly deregistrationDelaySeconds: number;
  /** Where the listener accepts requests (`127.0.0.1:<port>`), absent until it listens. */
  readonly listenerAddress?: string;
  readonly targets: readonly TargetView[];
}

/** One task of a service, as the service shows it (the task itself is a TaskDetail). */
export interface ServiceTaskView {
  readonly taskId: string;
  readonly deploymentId: string;
  readonly lastStatus: string;
  readonly healthStatus: string;
  /** Per-task milestones for the deployment timeline (registration → healthy → draining → stopped). */
  readonly milestones: readonly {
    readonly at: string;
    readonly kind: ServiceTaskMilestone;
    readonly detail?: string;
  }[];
}

export type ServiceTaskMilestone =
  'started' | 'running' | 'registered' | 'healthy' | 'unhealthy' | 'draining' | 'stopping' | 'stopped';

/** A service in ECS DescribeServices shape, plus Taskdeck's extras. */
export interface ServiceView {
  readonly serviceArn: string;
  readonly serviceName: string;
  readonly clusterArn: string;
  /** ACTIVE, or DRAINING while it is being deleted. */
  readonly status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  readonly desiredCount: number;
  readonly runningCount: number;
  readonly pendingCount: number;
  readonly launchType: string;
  readonly taskDefinition: string;
  readonly healthCheckGracePeriodSeconds: number;
  readonly deploymentConfiguration: {
    readonly minimumHealthyPercent: number;
    readonly maximumPercent: number;
    readonly deploymentCircuitBreaker: { readonly enable: boolean; readonly rollback: boolean };
  };
  readonly loadBalancers: readonly {
    readonly targetGroupArn: string;
    readonly containerName: string;
    readonly containerPort: number;
  }[];
  readonly deployments: readonly DeploymentView[];
  /** Newest first, at most 100 (ECS keeps the last 100). */
  readonly events: readonly ServiceEventView[];
  readonly createdAt: string;
  readonly version: number;

  readonly targetGroups: readonly TargetGroupView[];
  readonly tasks: readonly ServiceTaskView[];
  /**
   * Taskdeck: task definitions whose latest deployment FAILED (circuit breaker), newest first —
   * so the app does not offer a rolled-back revision as the next one to deploy.
   */
  readonly failedTaskDefinitions: readonly string[];
}

/** EventBridge "ECS Service Action" / "ECS Deployment State Change" event. */
export interface ServiceActionEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'ECS Service Action' | 'ECS Deployment State Change';
  readonly source: 'aws.ecs';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: {
    readonly eventType: 'INFO' | 'WARN' | 'ERROR';
    /** e.g. SERVICE_STEADY_STATE, SERVICE_DESIRED_COUNT_UPDATED, SERVICE_TASK_START_IMPAIRED,
     * SERVICE_DEPLOYMENT_IN_PROGRESS / _COMPLETED / _FAILED. */
    readonly eventName: string;
    readonly clusterArn: string;
    readonly createdAt: string;
    readonly deploymentId?: string;
    readonly updatedAt?: string;
    readonly reason?: string;
  };
}
