/**
 * A service as `aws ecs create-service --cli-input-json` describes it, normalised (parsed and
 * validated in service-parse.ts). `taskDefinition` is resolved to a definition before this.
 */
import type { TaskDefinition } from '../task-definition/model.js';
import type { LaunchType } from '../engine/launch-type.js';

export interface ServiceLoadBalancer {
  readonly targetGroupArn: string;
  readonly containerName: string;
  readonly containerPort: number;
}

export interface ServiceSpec {
  readonly serviceName: string;
  /** As written in the file (ARN, `family:revision`, or a path), for display and events. */
  readonly taskDefinitionRef: string;
  readonly taskDefinition: TaskDefinition;
  readonly desiredCount: number;
  readonly launchType?: LaunchType;
  readonly loadBalancers: readonly ServiceLoadBalancer[];
  /** Default 0; only meaningful with loadBalancers or container health checks. */
  readonly healthCheckGracePeriodSeconds: number;
  readonly minimumHealthyPercent: number;
  readonly maximumPercent: number;
  readonly circuitBreaker: { readonly enable: boolean; readonly rollback: boolean };
  readonly enableExecuteCommand: boolean;
}
