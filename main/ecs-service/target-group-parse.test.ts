import { describe, expect, it } from 'vitest';
import { parseTargetGroup, targetGroupArn, targetGroupNameFromArn } from './target-group-parse.js';

const ctx = { region: 'us-east-1', account: '123456789012' };
const base = { Name: 'web-tg', Protocol: 'HTTP', Port: 8080, TargetType: 'ip', VpcId: 'vpc-0abc' };
const parse = (doc: unknown, c: Parameters<typeof parseTargetGroup>[1] = ctx) =>
  parseTargetGroup(typeof doc === 'string' ? doc : JSON.stringify(doc), c);
const errorsOf = (doc: unknown, c?: Parameters<typeof parseTargetGroup>[1]) => {
  const r = parse(doc, c);
  if (r.ok) throw new Error('expected errors');
  return r.errors;
};

describe('parseTargetGroup', () => {
  it('applies ELB defaults for an HTTP group and ignores VpcId/Tags', () => {
    const r = parse({ ...base, Tags: [{ Key: 'team', Value: 'a' }] });
    expect(r).toEqual({
      ok: true,
      warnings: [],
      spec: {
        targetGroupArn: targetGroupArn('us-east-1', '123456789012', 'web-tg'),
        name: 'web-tg',
        protocol: 'HTTP',
        port: 8080,
        targetType: 'ip',
        healthCheckPath: '/',
        healthCheckIntervalSeconds: 30,
        healthCheckTimeoutSeconds: 5,
        healthyThresholdCount: 5,
        unhealthyThresholdCount: 2,
        matcher: '200',
        deregistrationDelaySeconds: 300,
      },
    });
  });

  it('reads every setting and the deregistration delay attribute', () => {
    const r = parse({
      ...base,
      TargetType: 'instance',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: '9000',
      HealthCheckPath: '/health?deep=1',
      HealthCheckIntervalSeconds: 10,
      HealthCheckTimeoutSeconds: 3,
      HealthyThresholdCount: 3,
      UnhealthyThresholdCount: 4,
      Matcher: { HttpCode: '200-299' },
      Attributes: [
        { Key: 'deregistration_delay.timeout_seconds', Value: '30' },
        { Key: 'stickiness.enabled', Value: 'false' },
      ],
    });
    expect(r.ok && r.spec).toMatchObject({
      targetType: 'instance',
      healthCheckPort: 9000,
      healthCheckPath: '/health?deep=1',
      healthCheckIntervalSeconds: 10,
      healthCheckTimeoutSeconds: 3,
      healthyThresholdCount: 3,
      unhealthyThresholdCount: 4,
      matcher: '200-299',
      deregistrationDelaySeconds: 30,
    });
    expect(r.ok && r.warnings).toEqual([
      {
        path: '$.Attributes[1].Key',
        message: 'stickiness.enabled is not applied by the local load balancer',
      },
    ]);
  });

  it('traffic-port leaves healthCheckPort out', () => {
    const r = parse({ ...base, HealthCheckPort: 'traffic-port' });
    expect(r.ok && 'healthCheckPort' in r.spec).toBe(false);
  });

  it('the flag/setting override wins over the attribute', () => {
    const r = parse(
      { ...base, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }] },
      { ...ctx, deregistrationDelaySeconds: 0 },
    );
    expect(r.ok && r.spec.deregistrationDelaySeconds).toBe(0);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['unknown key', { Foo: 1 }, '$.Foo', /Unknown parameter in input: "Foo", must be one of: Name, Protocol/],
    ['missing Name', { Name: undefined }, '$.Name', /is required/],
    ['Name too long', { Name: 'a'.repeat(33) }, '$.Name', /at most 32 alphanumeric/],
    ['Name with hyphen at end', { Name: 'web-' }, '$.Name', /not beginning or ending with a hyphen/],
    ['Name with underscore', { Name: 'web_tg' }, '$.Name', /not a valid target group name/],
    ['Name internal-', { Name: 'internal-web' }, '$.Name', /internal-/],
    [
      'HTTPS',
      { Protocol: 'HTTPS' },
      '$.Protocol',
      /HTTPS target groups are not supported locally.*HTTP only/,
    ],
    ['TCP', { Protocol: 'TCP' }, '$.Protocol', /TCP target groups are not supported locally/],
    ['bogus protocol', { Protocol: 'FTP' }, '$.Protocol', /must be HTTP/],
    ['missing Protocol', { Protocol: undefined }, '$.Protocol', /is required/],
    ['missing Port', { Port: undefined }, '$.Port', /is required/],
    ['Port range', { Port: 70000 }, '$.Port', /between 1 and 65535, got 70000/],
    ['Port string', { Port: '80' }, '$.Port', /must be an integer, got "80"/],
    [
      'alb target type',
      { TargetType: 'alb' },
      '$.TargetType',
      /"alb" target groups are not supported locally/,
    ],
    ['lambda target type', { TargetType: 'lambda' }, '$.TargetType', /"lambda" target groups/],
    ['bogus target type', { TargetType: 'pod' }, '$.TargetType', /must be one of ip, instance/],
    ['HTTPS checks', { HealthCheckProtocol: 'HTTPS' }, '$.HealthCheckProtocol', /HTTPS health checks/],
    ['TCP checks', { HealthCheckProtocol: 'TCP' }, '$.HealthCheckProtocol', /must be HTTP/],
    ['checks disabled', { HealthCheckEnabled: false }, '$.HealthCheckEnabled', /cannot be disabled/],
    ['check port', { HealthCheckPort: 'x' }, '$.HealthCheckPort', /"traffic-port" or a port/],
    ['check path', { HealthCheckPath: 'health' }, '$.HealthCheckPath', /must start with "\/"/],
    [
      'interval low',
      { HealthCheckIntervalSeconds: 4 },
      '$.HealthCheckIntervalSeconds',
      /between 5 and 300, got 4/,
    ],
    [
      'interval high',
      { HealthCheckIntervalSeconds: 301 },
      '$.HealthCheckIntervalSeconds',
      /between 5 and 300/,
    ],
    [
      'interval float',
      { HealthCheckIntervalSeconds: 7.5 },
      '$.HealthCheckIntervalSeconds',
      /must be an integer/,
    ],
    ['timeout low', { HealthCheckTimeoutSeconds: 1 }, '$.HealthCheckTimeoutSeconds', /between 2 and 120/],
    ['timeout high', { HealthCheckTimeoutSeconds: 121 }, '$.HealthCheckTimeoutSeconds', /between 2 and 120/],
    [
      'timeout not less than interval',
      { HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 10 },
      '$.HealthCheckTimeoutSeconds',
      /must be less than HealthCheckIntervalSeconds \(10 is not less than 10\)/,
    ],
    ['healthy threshold', { HealthyThresholdCount: 1 }, '$.HealthyThresholdCount', /between 2 and 10/],
    ['unhealthy threshold', { UnhealthyThresholdCount: 11 }, '$.UnhealthyThresholdCount', /between 2 and 10/],
    ['matcher code', { Matcher: { HttpCode: '500' } }, '$.Matcher.HttpCode', /500 is outside 200–499/],
    ['matcher type', { Matcher: { HttpCode: 200 } }, '$.Matcher.HttpCode', /must be a string/],
    ['grpc matcher', { Matcher: { GrpcCode: '0' } }, '$.Matcher.GrpcCode', /gRPC/],
    ['attributes shape', { Attributes: {} }, '$.Attributes', /must be a list/],
    [
      'delay range',
      { Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '3601' }] },
      '$.Attributes[0].Value',
      /0–3600 seconds, got "3601"/,
    ],
    ['attribute value type', { Attributes: [{ Key: 'x', Value: 1 }] }, '$.Attributes[0]', /must be \{"Key"/],
    [
      'unknown attribute',
      { Attributes: [{ Key: 'nope', Value: '1' }] },
      '$.Attributes[0].Key',
      /unknown target group attribute "nope"/,
    ],
  ])('%s', (_name, patch, path, message) => {
    const errors = errorsOf({ ...base, ...patch });
    expect(errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('reports every error, not only the first', () => {
    const errors = errorsOf({ ...base, Port: 0, HealthyThresholdCount: 0, Bar: true });
    expect(errors.map((e) => e.path).sort()).toEqual(['$.Bar', '$.HealthyThresholdCount', '$.Port']);
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['an array', '[]', /must be a JSON object/],
  ])('%s', (_name, text, message) => {
    expect(errorsOf(text)).toEqual([{ path: '$', message: expect.stringMatching(message) }]);
  });

  it('rejects an out-of-range delay override', () => {
    expect(errorsOf(base, { ...ctx, deregistrationDelaySeconds: -1 })).toEqual([
      {
        path: 'deregistrationDelaySeconds',
        message: expect.stringMatching(/between 0 and 3600 seconds, got -1/),
      },
    ]);
  });
});

describe('target group ARNs', () => {
  it('derives a stable 16-hex id from the name', () => {
    const arn = targetGroupArn('eu-west-1', '111122223333', 'web-tg');
    expect(arn).toMatch(
      /^arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup\/web-tg\/[0-9a-f]{16}$/,
    );
    expect(targetGroupArn('eu-west-1', '111122223333', 'web-tg')).toBe(arn);
    expect(targetGroupArn('eu-west-1', '111122223333', 'api-tg').split('/')[2]).not.toBe(arn.split('/')[2]);
  });

  it.each([
    ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/0123456789abcdef', 'web-tg'],
    ['arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:targetgroup/a/0123456789abcdef', 'a'],
    ['arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/0123456789abcdef', undefined],
    ['arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg', undefined],
    ['web-tg', undefined],
  ])('targetGroupNameFromArn(%s) is %s', (arn, name) => {
    expect(targetGroupNameFromArn(arn)).toBe(name);
  });
});
