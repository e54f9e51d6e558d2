/**
 * Prefilled create-service input (pure): an `aws ecs create-service --cli-input-json` document and
 * the `aws elbv2 create-target-group --cli-input-json` document it points to, built from a library
 * definition's first container port.
 */
import type { TaskDefinitionView } from '../../../../contract/dto.js';

/** A target group name from a family (ELB: at most 32 letters, digits and hyphens). */
export function targetGroupNameFor(family: string): string {
  const base = family.replace(/[^A-Za-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'service';
  return `${base.slice(0, 29)}-tg`;
}

export interface ServiceExample {
  readonly serviceText: string;
  readonly targetGroupText: string;
}

/** The example for `def`, or undefined when no container maps a port (nothing to balance). */
export function serviceExample(def: TaskDefinitionView, listenPort = 8080): ServiceExample | undefined {
  const container = def.containers.find((c) => c.portMappings.length > 0);
  const mapping = container?.portMappings[0];
  if (!container || !mapping) return undefined;
  const tgName = targetGroupNameFor(def.family);
  const service = {
    serviceName: def.family.replace(/[^A-Za-z0-9_-]/g, '-'),
    taskDefinition: `${def.family}:${def.revision}`,
    desiredCount: 1,
    launchType: def.networkMode === 'awsvpc' ? 'FARGATE' : 'EC2',
    loadBalancers: [
      { targetGroupArn: tgName, containerName: container.name, containerPort: mapping.containerPort },
    ],
    healthCheckGracePeriodSeconds: 10,
    deploymentConfiguration: {
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    },
  };
  const targetGroup = {
    Name: tgName,
    Protocol: 'HTTP',
    Port: listenPort,
    TargetType: def.networkMode === 'awsvpc' ? 'ip' : 'instance',
    HealthCheckPath: '/',
    HealthCheckIntervalSeconds: 5,
    HealthCheckTimeoutSeconds: 2,
    HealthyThresholdCount: 2,
    UnhealthyThresholdCount: 2,
    Matcher: { HttpCode: '200-399' },
  };
  return {
    serviceText: JSON.stringify(service, null, 2),
    targetGroupText: JSON.stringify(targetGroup, null, 2),
  };
}

/** Issues of one document: `service.x` → `x` for the service editor, `targetGroups[0].x` for group 0. */
export function issuesFor<T extends { path: string }>(issues: readonly T[], doc: 'service' | number): T[] {
  const prefix = doc === 'service' ? 'service' : `targetGroups[${doc}]`;
  return issues
    .filter((i) => i.path === prefix || i.path.startsWith(`${prefix}.`) || i.path.startsWith(`${prefix}[`))
    .map((i) => ({ ...i, path: i.path.slice(prefix.length).replace(/^\./, '') }));
}
