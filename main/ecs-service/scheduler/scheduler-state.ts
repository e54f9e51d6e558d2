/**
 * The service scheduler's state: what the pure decisions (decide.ts) read. Plain JSON, persisted
 * by service-store.ts. One record per service.
 */
import type { RolloutState, DeploymentStatus, TargetHealthState } from '../../../contract/service-dto.js';
import type { TaskLastStatus, HealthStatus } from '../../../contract/dto.js';
import type { TaskDefinition } from '../../task-definition/model.js';

/** One deployment (ECS `deployments[]`). */
export interface DeploymentState {
  readonly id: string;
  readonly taskDefinitionRef: string;
  readonly taskDefinition: TaskDefinition;
  status: DeploymentStatus;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  readonly createdAt: string;
  updatedAt: string;
  /** Tasks of this deployment that failed to start or failed health checks (circuit breaker). */
  failedTasks: number;
}

/** One task of the service as the scheduler tracks it. */
export interface ServiceTaskState {
  readonly taskId: string;
  readonly deploymentId: string;
  lastStatus: TaskLastStatus;
  /** Container health (UNKNOWN when the definition has no health check). */
  healthStatus: HealthStatus;
  /** An essential container has a health check: the task is healthy only once HEALTHY. */
  healthChecked?: boolean;
  /** When the task became RUNNING (grace period starts there). */
  runningAt?: string;
  /** Target health per target group ARN (absent: not registered yet). */
  targets: Record<string, TargetHealthState>;
  /** The load balancer's last description per group ("Health checks failed with these codes: [500]"). */
  targetDetail: Record<string, string>;
  /** The scheduler decided to stop it (draining or stopping in progress). */
  stopping?: boolean;
  /** Was healthy at least once (failures after that do not count as start failures). */
  everHealthy?: boolean;
  /** Why the scheduler stopped it (event text). */
  stopReason?: string;
}

/** ECS's service throttle: consecutive failed starts delay the next start. */
export interface ThrottleState {
  consecutiveFailures: number;
  /** Epoch ms before which no task is started. */
  nextStartAt: number;
  /** SERVICE_TASK_START_IMPAIRED was reported for this streak. */
  impairedReported: boolean;
}

/** The scheduler's view of one service. */
export interface SchedulerState {
  readonly desiredCount: number;
  readonly minimumHealthyPercent: number;
  readonly maximumPercent: number;
  readonly circuitBreaker: { readonly enable: boolean; readonly rollback: boolean };
  readonly healthCheckGracePeriodSeconds: number;
  /** Target group ARNs tasks register in (empty: no load balancer). */
  readonly targetGroupArns: readonly string[];
  /** Deployments, newest (PRIMARY) first. */
  readonly deployments: readonly DeploymentState[];
  readonly tasks: readonly ServiceTaskState[];
  readonly throttle: ThrottleState;
  /** The service is being deleted: stop everything, start nothing. */
  readonly deleting: boolean;
  /** Steady state already reported since the last change. */
  readonly steady: boolean;
}
