/**
 * A target group as `aws elbv2 create-target-group --cli-input-json` describes it, normalised
 * with ELB's defaults for an HTTP group (parsed and validated in target-group-parse.ts).
 */
export interface TargetGroupSpec {
  /** `arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<16 hex>`. */
  readonly targetGroupArn: string;
  readonly name: string;
  readonly protocol: 'HTTP';
  readonly port: number;
  readonly targetType: 'ip' | 'instance';
  /** Default "/". */
  readonly healthCheckPath: string;
  /** Default 30 (5–300). */
  readonly healthCheckIntervalSeconds: number;
  /** Default 5 (2–120, less than the interval). */
  readonly healthCheckTimeoutSeconds: number;
  /** Default 5 (2–10). */
  readonly healthyThresholdCount: number;
  /** Default 2 (2–10). */
  readonly unhealthyThresholdCount: number;
  /** `Matcher.HttpCode`: "200", "200,202", "200-299" (default "200"). */
  readonly matcher: string;
  /** Attribute `deregistration_delay.timeout_seconds` (default 300, 0–3600). */
  readonly deregistrationDelaySeconds: number;
  /** `HealthCheckPort` when it is a number; absent means "traffic-port" (the target's own port). */
  readonly healthCheckPort?: number;
}
