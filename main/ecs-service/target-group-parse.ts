/**
 * Parses `aws elbv2 create-target-group --cli-input-json` input (plus an optional
 * `Attributes: [{Key, Value}]` list in modify-target-group-attributes shape) into a
 * TargetGroupSpec, with ELB's defaults and ranges for HTTP target groups (ELB API reference,
 * CreateTargetGroup and TargetGroupAttribute). Every problem is reported with its JSON path.
 */
import { createHash } from 'node:crypto';
import { parseHttpCodeMatcher } from './load-balancer/http-code-matcher.js';
import type { TargetGroupSpec } from './target-group-spec.js';

/** One problem in the input, located by JSON path (`$.HealthCheckIntervalSeconds`). */
export interface TargetGroupIssue {
  readonly path: string;
  readonly message: string;
}

/** The parse result: a spec (with warnings about ignored settings) or every error found. */
export type TargetGroupParseResult =
  | { readonly ok: true; readonly spec: TargetGroupSpec; readonly warnings: readonly TargetGroupIssue[] }
  | { readonly ok: false; readonly errors: readonly TargetGroupIssue[] };

/** Where the group lives (for its ARN) and the flag/setting override of the deregistration delay. */
export interface TargetGroupParseContext {
  readonly region: string;
  readonly account: string;
  readonly deregistrationDelaySeconds?: number;
}

/** CreateTargetGroup's parameters (what the AWS CLI accepts), plus Taskdeck's `Attributes`. */
const KNOWN_KEYS = [
  'Name',
  'Protocol',
  'ProtocolVersion',
  'Port',
  'VpcId',
  'HealthCheckProtocol',
  'HealthCheckPort',
  'HealthCheckEnabled',
  'HealthCheckPath',
  'HealthCheckIntervalSeconds',
  'HealthCheckTimeoutSeconds',
  'HealthyThresholdCount',
  'UnhealthyThresholdCount',
  'Matcher',
  'TargetType',
  'Tags',
  'IpAddressType',
  'TargetControlPort',
  'Attributes',
] as const;

/** Target-group attributes that exist on ELB but change nothing on a local listener. */
const IGNORED_ATTRIBUTES =
  /^(stickiness\.|load_balancing\.|slow_start\.|target_group_health\.|lambda\.|deregistration_delay\.connection_termination|target_failover\.|preserve_client_ip|proxy_protocol_v2|connection_termination)/;

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;
const DELAY_KEY = 'deregistration_delay.timeout_seconds';

/** `arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<16 hex>`; the hex is derived from the name. */
export function targetGroupArn(region: string, account: string, name: string): string {
  const id = createHash('sha256').update(`taskdeck-target-group:${name}`).digest('hex').slice(0, 16);
  return `arn:aws:elasticloadbalancing:${region}:${account}:targetgroup/${name}/${id}`;
}

/** The target group name inside a target-group ARN, or undefined when `arn` is not one. */
export function targetGroupNameFromArn(arn: string): string | undefined {
  const m = /^arn:aws[\w-]*:elasticloadbalancing:[^:]*:[^:]*:targetgroup\/([^/]+)\/[0-9a-f]{16}$/.exec(arn);
  return m?.[1];
}

/** Parses and validates a target-group file's text. */
export function parseTargetGroup(text: string, ctx: TargetGroupParseContext): TargetGroupParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, errors: [{ path: '$', message: `not valid JSON: ${(err as Error).message}` }] };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, errors: [{ path: '$', message: 'a target group must be a JSON object' }] };
  }
  const input = doc as Record<string, unknown>;
  const errors: TargetGroupIssue[] = [];
  const warnings: TargetGroupIssue[] = [];
  const error = (key: string, message: string) => errors.push({ path: `$.${key}`, message });

  for (const key of Object.keys(input)) {
    if (!(KNOWN_KEYS as readonly string[]).includes(key)) {
      error(key, `Unknown parameter in input: "${key}", must be one of: ${KNOWN_KEYS.join(', ')}`);
    }
  }

  const int = (key: string, min: number, max: number, fallback: number): number => {
    const v = input[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      error(key, `must be an integer, got ${JSON.stringify(v)}`);
    } else if (v < min || v > max) {
      error(key, `must be between ${min} and ${max}, got ${v}`);
    } else return v;
    return fallback;
  };
  const str = (key: string): string | undefined => {
    const v = input[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') error(key, `must be a string, got ${JSON.stringify(v)}`);
    else return v;
    return undefined;
  };

  const targetType = str('TargetType') ?? 'instance';
  if (targetType === 'alb' || targetType === 'lambda') {
    error('TargetType', `"${targetType}" target groups are not supported locally: use "ip" or "instance"`);
  } else if (targetType !== 'ip' && targetType !== 'instance') {
    error('TargetType', `must be one of ip, instance, lambda, alb; got ${JSON.stringify(targetType)}`);
  }

  const name = str('Name');
  if (input.Name === undefined) error('Name', 'is required');
  else if (name !== undefined && (!NAME.test(name) || name.toLowerCase().startsWith('internal-'))) {
    error(
      'Name',
      `"${name}" is not a valid target group name: at most 32 alphanumeric characters or hyphens, not beginning or ending with a hyphen, not beginning with "internal-"`,
    );
  }

  const protocol = str('Protocol');
  if (input.Protocol === undefined) error('Protocol', 'is required for "ip" and "instance" target groups');
  else if (protocol !== undefined && protocol !== 'HTTP') {
    const known = ['HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP', 'GENEVE'].includes(protocol);
    error(
      'Protocol',
      known
        ? `${protocol} target groups are not supported locally: the local load balancer speaks HTTP only`
        : `must be HTTP (got ${JSON.stringify(protocol)})`,
    );
  }
  const protocolVersion = str('ProtocolVersion');
  if (protocolVersion !== undefined && protocolVersion !== 'HTTP1') {
    error('ProtocolVersion', `${protocolVersion} is not supported locally: use HTTP1`);
  }
  if (input.Port === undefined) error('Port', 'is required for "ip" and "instance" target groups');
  const port = int('Port', 1, 65535, 0);

  const hcProtocol = str('HealthCheckProtocol') ?? 'HTTP';
  if (hcProtocol !== 'HTTP') {
    error(
      'HealthCheckProtocol',
      hcProtocol === 'HTTPS'
        ? 'HTTPS health checks are not supported locally: use HTTP'
        : `must be HTTP for an HTTP target group (got ${JSON.stringify(hcProtocol)})`,
    );
  }
  if (input.HealthCheckEnabled === false) {
    error('HealthCheckEnabled', 'health checks cannot be disabled for "ip" and "instance" target groups');
  } else if (input.HealthCheckEnabled !== undefined && input.HealthCheckEnabled !== true) {
    error('HealthCheckEnabled', `must be a boolean, got ${JSON.stringify(input.HealthCheckEnabled)}`);
  }
  const healthCheckPort = parseHealthCheckPort(input.HealthCheckPort, (m) => error('HealthCheckPort', m));

  const path = str('HealthCheckPath') ?? '/';
  if (!path.startsWith('/') || path.length > 1024) {
    error(
      'HealthCheckPath',
      `must start with "/" and be at most 1024 characters, got ${JSON.stringify(path)}`,
    );
  }
  const interval = int('HealthCheckIntervalSeconds', 5, 300, 30);
  const timeout = int('HealthCheckTimeoutSeconds', 2, 120, 5);
  const badTiming = errors.some((e) => /^\$\.HealthCheck(Interval|Timeout)Seconds$/.test(e.path));
  if (timeout >= interval && !badTiming) {
    error(
      'HealthCheckTimeoutSeconds',
      `must be less than HealthCheckIntervalSeconds (${timeout} is not less than ${interval})`,
    );
  }
  const healthyThreshold = int('HealthyThresholdCount', 2, 10, 5);
  const unhealthyThreshold = int('UnhealthyThresholdCount', 2, 10, 2);

  let matcher = '200';
  if (input.Matcher !== undefined) {
    const m = input.Matcher as Record<string, unknown>;
    if (typeof m !== 'object' || m === null || Array.isArray(m))
      error('Matcher', 'must be an object like {"HttpCode": "200"}');
    else if (m.GrpcCode !== undefined)
      error('Matcher.GrpcCode', 'gRPC target groups are not supported locally: use HttpCode');
    else if (typeof m.HttpCode !== 'string')
      error('Matcher.HttpCode', 'must be a string like "200" or "200-299"');
    else {
      const parsed = parseHttpCodeMatcher(m.HttpCode);
      if (parsed.ok) matcher = parsed.matcher.text;
      else error('Matcher.HttpCode', parsed.message);
    }
  }

  let delay = parseAttributes(input.Attributes, errors, warnings);
  if (ctx.deregistrationDelaySeconds !== undefined) {
    const o = ctx.deregistrationDelaySeconds;
    if (!Number.isInteger(o) || o < 0 || o > 3600) {
      errors.push({
        path: 'deregistrationDelaySeconds',
        message: `the deregistration delay override must be an integer between 0 and 3600 seconds, got ${o}`,
      });
    } else delay = o;
  }

  if (errors.length > 0 || name === undefined) return { ok: false, errors };
  const spec: TargetGroupSpec = {
    targetGroupArn: targetGroupArn(ctx.region, ctx.account, name),
    name,
    protocol: 'HTTP',
    port,
    targetType: targetType as 'ip' | 'instance',
    healthCheckPath: path,
    healthCheckIntervalSeconds: interval,
    healthCheckTimeoutSeconds: timeout,
    healthyThresholdCount: healthyThreshold,
    unhealthyThresholdCount: unhealthyThreshold,
    matcher,
    deregistrationDelaySeconds: delay,
    ...(healthCheckPort === undefined ? {} : { healthCheckPort }),
  };
  return { ok: true, spec, warnings };
}

/** "traffic-port" (undefined) or a port number given as a string (the API's type) or a number. */
function parseHealthCheckPort(v: unknown, fail: (message: string) => void): number | undefined {
  if (v === undefined || v === 'traffic-port') return undefined;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    fail(`must be "traffic-port" or a port between 1 and 65535, got ${JSON.stringify(v)}`);
    return undefined;
  }
  return n;
}

/** The deregistration delay from `Attributes` (default 300); other attributes are warned about. */
function parseAttributes(v: unknown, errors: TargetGroupIssue[], warnings: TargetGroupIssue[]): number {
  let delay = 300;
  if (v === undefined) return delay;
  if (!Array.isArray(v)) {
    errors.push({ path: '$.Attributes', message: 'must be a list of {"Key": …, "Value": …}' });
    return delay;
  }
  v.forEach((item: unknown, i) => {
    const at = `$.Attributes[${i}]`;
    const a = item as Record<string, unknown> | null;
    if (typeof a !== 'object' || a === null || typeof a.Key !== 'string' || typeof a.Value !== 'string') {
      errors.push({ path: at, message: 'must be {"Key": string, "Value": string}' });
      return;
    }
    if (a.Key === DELAY_KEY) {
      const n = /^\d+$/.test(a.Value) ? Number(a.Value) : NaN;
      if (!(n >= 0 && n <= 3600)) {
        errors.push({
          path: `${at}.Value`,
          message: `${DELAY_KEY} must be 0–3600 seconds, got "${a.Value}"`,
        });
      } else delay = n;
    } else if (IGNORED_ATTRIBUTES.test(a.Key)) {
      warnings.push({ path: `${at}.Key`, message: `${a.Key} is not applied by the local load balancer` });
    } else {
      errors.push({ path: `${at}.Key`, message: `unknown target group attribute "${a.Key}"` });
    }
  });
  return delay;
}
