import { describe, expect, it } from 'vitest';
import { parseService, type ServiceParseContext } from './service-parse.js';
import { container, taskDef } from '../test-support/task-def-builders.js';
import type { TargetGroupSpec } from './target-group-spec.js';

const TG: TargetGroupSpec = {
  targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web-tg/0123456789abcdef',
  name: 'web-tg',
  protocol: 'HTTP',
  port: 8080,
  targetType: 'ip',
  healthCheckPath: '/',
  healthCheckIntervalSeconds: 5,
  healthCheckTimeoutSeconds: 2,
  healthyThresholdCount: 2,
  unhealthyThresholdCount: 2,
  matcher: '200',
  deregistrationDelaySeconds: 1,
};
const DEF = taskDef('web', [container('app', { portMappings: [{ containerPort: 80, protocol: 'tcp' }] })]);
const ctx: ServiceParseContext = {
  resolveTaskDefinition: (ref) =>
    Promise.resolve(ref === 'web:1' || ref === 'web' ? DEF : { error: `no task definition "${ref}"` }),
  targetGroups: [TG],
};
const base = {
  serviceName: 'web',
  taskDefinition: 'web:1',
  desiredCount: 2,
  loadBalancers: [{ targetGroupArn: TG.targetGroupArn, containerName: 'app', containerPort: 80 }],
};
const parse = (over: Record<string, unknown>) => parseService(JSON.stringify({ ...base, ...over }), ctx);

describe('parseService', () => {
  it('accepts create-service input with ECS defaults (min 100, max 200, breaker off)', async () => {
    const r = await parse({ cluster: 'default', tags: [] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.service).toMatchObject({
      serviceName: 'web',
      desiredCount: 2,
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      circuitBreaker: { enable: false, rollback: false },
      healthCheckGracePeriodSeconds: 0,
      loadBalancers: [{ targetGroupArn: TG.targetGroupArn, containerName: 'app', containerPort: 80 }],
    });
    expect(r.warnings.map((w) => w.path)).toEqual(['$.cluster', '$.tags']);
  });

  it('matches a target group by the name inside the ARN', async () => {
    const arn = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web-tg/ffffffffffffffff';
    const r = await parse({
      loadBalancers: [{ targetGroupArn: arn, containerName: 'app', containerPort: 80 }],
    });
    expect(r.ok && r.service.loadBalancers[0]?.targetGroupArn).toBe(TG.targetGroupArn);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['unknown key', { bogus: 1 }, '$.bogus'],
    [
      'unknown container',
      { loadBalancers: [{ targetGroupArn: TG.targetGroupArn, containerName: 'nope', containerPort: 80 }] },
      '$.loadBalancers[0].containerName',
    ],
    [
      'unmapped port',
      { loadBalancers: [{ targetGroupArn: TG.targetGroupArn, containerName: 'app', containerPort: 8080 }] },
      '$.loadBalancers[0].containerPort',
    ],
    [
      'unknown target group',
      { loadBalancers: [{ targetGroupArn: 'other', containerName: 'app', containerPort: 80 }] },
      '$.loadBalancers[0].targetGroupArn',
    ],
    [
      'min > 100',
      { deploymentConfiguration: { minimumHealthyPercent: 150 } },
      '$.deploymentConfiguration.minimumHealthyPercent',
    ],
    [
      'max < 100',
      { deploymentConfiguration: { maximumPercent: 50 } },
      '$.deploymentConfiguration.maximumPercent',
    ],
    [
      'min 100 with max 100',
      { deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 100 } },
      '$.deploymentConfiguration.maximumPercent',
    ],
    [
      'bad breaker',
      { deploymentConfiguration: { deploymentCircuitBreaker: { enable: 'yes' } } },
      '$.deploymentConfiguration.deploymentCircuitBreaker',
    ],
    ['negative count', { desiredCount: -1 }, '$.desiredCount'],
    ['unresolvable definition', { taskDefinition: 'api:9' }, '$.taskDefinition'],
    ['bad name', { serviceName: 'a b' }, '$.serviceName'],
    ['DAEMON', { schedulingStrategy: 'DAEMON' }, '$.schedulingStrategy'],
    ['negative grace', { healthCheckGracePeriodSeconds: -5 }, '$.healthCheckGracePeriodSeconds'],
  ])('refuses %s with its JSON path', async (_n, over, path) => {
    const r = await parse(over);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toContain(path);
  });

  it('reports bad JSON', async () => {
    const r = await parseService('{', ctx);
    expect(r.ok).toBe(false);
  });
});
