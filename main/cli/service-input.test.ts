import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileResolver, parseListen, readServiceInput } from './service-input.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'taskdeck-svc-input-'));
  await mkdir(join(dir, 'defs'));
  await writeFile(
    join(dir, 'defs', 'web.json'),
    JSON.stringify({
      family: 'web',
      containerDefinitions: [
        { name: 'app', image: 'nginx', memory: 64, portMappings: [{ containerPort: 80 }] },
      ],
    }),
  );
  await writeFile(
    join(dir, 'tg.json'),
    JSON.stringify({ Name: 'web-tg', Protocol: 'HTTP', Port: 8080, TargetType: 'ip' }),
  );
  await writeFile(
    join(dir, 'svc.json'),
    JSON.stringify({
      serviceName: 'web',
      taskDefinition: 'defs/web.json',
      loadBalancers: [{ targetGroupArn: 'web-tg', containerName: 'app', containerPort: 80 }],
    }),
  );
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('service up input', () => {
  it('resolves taskDefinition relative to the service file', async () => {
    const def = await fileResolver(join(dir, 'svc.json'))('defs/web.json');
    expect('family' in def && def.family).toBe('web');
    const missing = await fileResolver(join(dir, 'svc.json'))('web:3');
    expect('error' in missing && missing.error).toContain('relative to the service file');
  });

  it('parses --listen NAME=PORT and refuses anything else', () => {
    expect(parseListen(['web-tg=9000'])).toEqual({ ok: true, listen: { 'web-tg': { port: 9000 } } });
    expect(parseListen(['web-tg:9000']).ok).toBe(false);
    expect(parseListen(['web-tg=70000']).ok).toBe(false);
  });

  it('builds the input with the target group, its listener and the delay override', async () => {
    const r = await readServiceInput(join(dir, 'svc.json'), {
      targetGroup: [join(dir, 'tg.json')],
      listen: ['web-tg=9000'],
      deregistrationDelay: 5,
      region: 'eu-west-1',
      account: '111122223333',
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.input.targetGroups[0]?.deregistrationDelaySeconds).toBe(5);
    expect(r.input.targetGroups[0]?.targetGroupArn).toMatch(
      /^arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup\/web-tg\//,
    );
    expect(r.input.listen).toEqual({ 'web-tg': { port: 9000 } });
    expect(r.input.service.loadBalancers[0]?.targetGroupArn).toBe(r.input.targetGroups[0]?.targetGroupArn);
  });

  it('names every problem and creates nothing: missing target group file, unknown --listen name', async () => {
    const r = await readServiceInput(join(dir, 'svc.json'), {
      targetGroup: [join(dir, 'nope.json')],
      listen: ['other=9000'],
      region: 'us-east-1',
      account: '000000000000',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toContain('nope.json: cannot read (no such file)');
    expect(r.message).toContain('--listen other: no target group named so');
    expect(r.message).toContain('$.loadBalancers[0].targetGroupArn');
  });
});
