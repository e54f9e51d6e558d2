/**
 * Parses `aws ecs create-service --cli-input-json` input into a ServiceSpec (issue 13). Errors and
 * warnings carry JSON paths (`$.loadBalancers[0].containerPort`). The task definition reference is
 * resolved by the caller's resolver (the CLI resolves file paths, the app library `family:revision`).
 */
import type { TaskDefinition } from '../task-definition/model.js';
import type { ServiceLoadBalancer, ServiceSpec } from './service-spec.js';
import type { TargetGroupSpec } from './target-group-spec.js';
import { LAUNCH_TYPES, type LaunchType } from '../engine/launch-type.js';

/** A problem in the service input, located by JSON path. */
export interface ServiceIssue {
  readonly path: string;
  readonly message: string;
}

/** What parseService needs from its caller. */
export interface ServiceParseContext {
  resolveTaskDefinition(ref: string): Promise<TaskDefinition | { error: string }>;
  readonly targetGroups: readonly TargetGroupSpec[];
}

/** parseService's result: the spec with warnings, or every error found. */
export type ServiceParseResult =
  | { readonly ok: true; readonly service: ServiceSpec; readonly warnings: readonly ServiceIssue[] }
  | {
      readonly ok: false;
      readonly errors: readonly ServiceIssue[];
      readonly warnings: readonly ServiceIssue[];
    };

/** create-service keys Taskdeck accepts but does not act on (warned, not refused). */
const IGNORED_KEYS = new Set([
  'cluster',
  'tags',
  'placementConstraints',
  'placementStrategy',
  'serviceRegistries',
  'propagateTags',
  'enableECSManagedTags',
  'platformVersion',
  'role',
  'clientToken',
  'capacityProviderStrategy',
  'deploymentController',
  'serviceConnectConfiguration',
  'volumeConfigurations',
  'vpcLatticeConfigurations',
  'availabilityZoneRebalancing',
]);
const KNOWN_KEYS = new Set([
  ...IGNORED_KEYS,
  'serviceName',
  'taskDefinition',
  'desiredCount',
  'launchType',
  'networkConfiguration',
  'loadBalancers',
  'healthCheckGracePeriodSeconds',
  'deploymentConfiguration',
  'enableExecuteCommand',
  'schedulingStrategy',
]);
const DEPLOYMENT_KEYS = new Set([
  'minimumHealthyPercent',
  'maximumPercent',
  'deploymentCircuitBreaker',
  'alarms',
]);
const LB_KEYS = new Set(['targetGroupArn', 'containerName', 'containerPort', 'loadBalancerName']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** The target group an ARN (or a bare name) refers to. */
export function findTargetGroup(
  ref: string,
  groups: readonly TargetGroupSpec[],
): TargetGroupSpec | undefined {
  const name = /:targetgroup\/([^/]+)\//.exec(ref)?.[1] ?? ref;
  return groups.find((g) => g.targetGroupArn === ref || g.name === name);
}

/** Parses and validates create-service JSON; nothing is created. */
export async function parseService(text: string, ctx: ServiceParseContext): Promise<ServiceParseResult> {
  const errors: ServiceIssue[] = [];
  const warnings: ServiceIssue[] = [];
  const err = (path: string, message: string) => errors.push({ path, message });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      errors: [{ path: '$', message: `not valid JSON: ${(e as Error).message}` }],
      warnings,
    };
  }
  if (!isObj(doc)) return { ok: false, errors: [{ path: '$', message: 'must be a JSON object' }], warnings };

  for (const key of Object.keys(doc)) {
    if (!KNOWN_KEYS.has(key)) err(`$.${key}`, `Unknown parameter "${key}" (not a create-service parameter)`);
    else if (IGNORED_KEYS.has(key)) warnings.push({ path: `$.${key}`, message: `ignored by Taskdeck` });
  }
  const serviceName = doc.serviceName;
  if (typeof serviceName !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(serviceName)) {
    err('$.serviceName', 'required: up to 255 letters, digits, hyphens and underscores');
  }
  if (doc.schedulingStrategy !== undefined && doc.schedulingStrategy !== 'REPLICA') {
    err('$.schedulingStrategy', 'only REPLICA is supported');
  }
  const desiredCount = doc.desiredCount ?? 1;
  if (!isInt(desiredCount) || desiredCount < 0) err('$.desiredCount', 'must be an integer ≥ 0');
  let launchType: LaunchType | undefined;
  if (doc.launchType !== undefined) {
    if (!LAUNCH_TYPES.includes(doc.launchType as LaunchType)) {
      err('$.launchType', `must be one of ${LAUNCH_TYPES.join(', ')}`);
    } else launchType = doc.launchType as LaunchType;
  }
  if (doc.networkConfiguration !== undefined) {
    const vpc = isObj(doc.networkConfiguration) ? doc.networkConfiguration.awsvpcConfiguration : undefined;
    if (!isObj(doc.networkConfiguration) || (vpc !== undefined && !isObj(vpc))) {
      err('$.networkConfiguration', 'must be {"awsvpcConfiguration": {...}}');
    }
  }
  const grace = doc.healthCheckGracePeriodSeconds ?? 0;
  if (!isInt(grace) || grace < 0 || grace > 2147483647) {
    err('$.healthCheckGracePeriodSeconds', 'must be an integer ≥ 0');
  }
  if (doc.enableExecuteCommand !== undefined && typeof doc.enableExecuteCommand !== 'boolean') {
    err('$.enableExecuteCommand', 'must be a boolean');
  }
  const deployment = readDeployment(doc.deploymentConfiguration, err);

  let taskDefinition: TaskDefinition | undefined;
  const ref = doc.taskDefinition;
  if (typeof ref !== 'string' || ref === '')
    err('$.taskDefinition', 'required: an ARN, family:revision, family or a file path');
  else {
    const resolved = await ctx.resolveTaskDefinition(ref);
    if ('error' in resolved) err('$.taskDefinition', resolved.error);
    else taskDefinition = resolved;
  }
  const loadBalancers = readLoadBalancers(doc.loadBalancers, taskDefinition, ctx.targetGroups, err);
  if (taskDefinition?.networkMode === 'awsvpc' && doc.networkConfiguration === undefined) {
    warnings.push({
      path: '$.networkConfiguration',
      message: 'awsvpc task definition: Taskdeck uses a local network',
    });
  }
  if (errors.length > 0 || taskDefinition === undefined) return { ok: false, errors, warnings };
  return {
    ok: true,
    warnings,
    service: {
      serviceName: serviceName as string,
      taskDefinitionRef: ref as string,
      taskDefinition,
      desiredCount: desiredCount as number,
      ...(launchType ? { launchType } : {}),
      loadBalancers,
      healthCheckGracePeriodSeconds: grace as number,
      ...deployment,
      enableExecuteCommand: doc.enableExecuteCommand === true,
    },
  };
}

function readDeployment(
  value: unknown,
  err: (path: string, message: string) => void,
): Pick<ServiceSpec, 'minimumHealthyPercent' | 'maximumPercent' | 'circuitBreaker'> {
  const out = {
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    circuitBreaker: { enable: false, rollback: false },
  };
  if (value === undefined) return out;
  const at = '$.deploymentConfiguration';
  if (!isObj(value)) {
    err(at, 'must be an object');
    return out;
  }
  for (const key of Object.keys(value)) {
    if (!DEPLOYMENT_KEYS.has(key)) err(`${at}.${key}`, `Unknown parameter "${key}"`);
  }
  const min = value.minimumHealthyPercent ?? 100;
  const max = value.maximumPercent ?? 200;
  if (!isInt(min) || min < 0 || min > 100)
    err(`${at}.minimumHealthyPercent`, 'must be an integer from 0 to 100');
  if (!isInt(max) || max < 100) err(`${at}.maximumPercent`, 'must be an integer ≥ 100');
  else if (isInt(min) && min === 100 && max === 100) {
    // No room above the minimum and none below: a deployment could never replace a task.
    err(
      `${at}.maximumPercent`,
      'must be above 100 when minimumHealthyPercent is 100, or no task could be replaced',
    );
  }
  const cb = value.deploymentCircuitBreaker;
  let circuitBreaker = out.circuitBreaker;
  if (cb !== undefined) {
    if (!isObj(cb) || typeof cb.enable !== 'boolean' || typeof cb.rollback !== 'boolean') {
      err(`${at}.deploymentCircuitBreaker`, 'must be {"enable": boolean, "rollback": boolean}');
    } else circuitBreaker = { enable: cb.enable, rollback: cb.rollback };
  }
  return {
    minimumHealthyPercent: isInt(min) ? min : 100,
    maximumPercent: isInt(max) ? max : 200,
    circuitBreaker,
  };
}

function readLoadBalancers(
  value: unknown,
  def: TaskDefinition | undefined,
  groups: readonly TargetGroupSpec[],
  err: (path: string, message: string) => void,
): ServiceLoadBalancer[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    err('$.loadBalancers', 'must be an array');
    return [];
  }
  const out: ServiceLoadBalancer[] = [];
  value.forEach((lb: unknown, i) => {
    const at = `$.loadBalancers[${i}]`;
    if (!isObj(lb)) return err(at, 'must be an object');
    for (const key of Object.keys(lb))
      if (!LB_KEYS.has(key)) err(`${at}.${key}`, `Unknown parameter "${key}"`);
    if (lb.loadBalancerName !== undefined)
      err(`${at}.loadBalancerName`, 'Classic Load Balancers are not supported; use targetGroupArn');
    const arn = lb.targetGroupArn;
    const group = typeof arn === 'string' ? findTargetGroup(arn, groups) : undefined;
    if (typeof arn !== 'string') err(`${at}.targetGroupArn`, 'required');
    else if (!group) {
      const known = groups.map((g) => g.name).join(', ') || 'none given (--target-group FILE)';
      err(`${at}.targetGroupArn`, `no target group "${arn}" (known: ${known})`);
    }
    const name = lb.containerName;
    const port = lb.containerPort;
    if (typeof name !== 'string') err(`${at}.containerName`, 'required');
    if (!isInt(port) || port < 1 || port > 65535)
      err(`${at}.containerPort`, 'required: a port from 1 to 65535');
    if (def && typeof name === 'string') {
      const c = def.containerDefinitions.find((x) => x.name === name);
      if (!c) {
        err(
          `${at}.containerName`,
          `no container "${name}" in ${def.family} (has ${def.containerDefinitions.map((x) => x.name).join(', ')})`,
        );
      } else if (
        isInt(port) &&
        !c.portMappings.some((p) => p.containerPort === port && p.protocol === 'tcp')
      ) {
        const ports = c.portMappings.map((p) => p.containerPort).join(', ') || 'none';
        err(`${at}.containerPort`, `container "${name}" has no tcp portMapping for ${port} (has ${ports})`);
      }
    }
    if (group && typeof name === 'string' && isInt(port)) {
      out.push({ targetGroupArn: group.targetGroupArn, containerName: name, containerPort: port });
    }
  });
  return out;
}
