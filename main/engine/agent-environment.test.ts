import { describe, expect, it } from 'vitest';
import { toContainerCreateOptions, type ContainerConfigContext } from './container-config.js';
import { agentEnvironment } from './agent-environment.js';
import { agentLogOptions } from '../endpoints/metadata-extras.js';
import type { ContainerDefinition } from '../task-definition/model.js';
import { container } from '../test-support/task-def-builders.js';

const ARN = 'arn:aws:ecs:eu-west-1:123456789012:task/default/0123456789abcdef0123456789abcdef';

function def(over: Partial<ContainerDefinition> = {}): ContainerDefinition {
  return container('app', { image: 'busybox', ...over });
}

function envOf(d: ContainerDefinition, launchType: string, extra: Partial<ContainerConfigContext> = {}) {
  const agent = agentEnvironment({ launchType, taskArn: ARN });
  const o = toContainerCreateOptions(d, {
    dockerName: 'x',
    labels: {},
    networkMode: 'bridge',
    volumeSources: new Map(),
    containerIds: new Map(),
    extraEnv: {},
    endpointEnv: agent.fixed,
    ...(agent.region ? { regionEnv: agent.region } : {}),
    extraHosts: [],
    ...extra,
  });
  return Object.fromEntries(
    (o.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]),
  );
}

// Agent: agent/api/task/task.go ApplyRegionToContainer + AWS_EXECUTION_ENV.
describe('agent environment', () => {
  it('injects the task region as AWS_REGION and AWS_DEFAULT_REGION, and AWS_EXECUTION_ENV per launch type', () => {
    expect(envOf(def(), 'EC2')).toMatchObject({
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_EXECUTION_ENV: 'AWS_ECS_EC2',
    });
    expect(envOf(def(), 'FARGATE')).toMatchObject({ AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE' });
  });

  it('leaves the region alone when the definition, an env file or the image sets either variable', () => {
    const own = envOf(def({ environment: [{ name: 'AWS_DEFAULT_REGION', value: 'us-west-2' }] }), 'EC2');
    expect(own['AWS_DEFAULT_REGION']).toBe('us-west-2');
    expect(own['AWS_REGION']).toBeUndefined();
    const fromFile = envOf(def(), 'EC2', { extraEnv: { AWS_REGION: 'ap-south-1' } });
    expect(fromFile['AWS_REGION']).toBe('ap-south-1');
    expect(fromFile['AWS_DEFAULT_REGION']).toBeUndefined();
    const image = envOf(def(), 'EC2', { imageEnvKeys: new Set(['PATH', 'AWS_REGION']) });
    expect(image['AWS_REGION']).toBeUndefined();
    expect(image['AWS_DEFAULT_REGION']).toBeUndefined();
  });
});

describe('agentLogOptions', () => {
  it('turns awslogs-stream-prefix into the full awslogs-stream, as ECS hands it to the agent', () => {
    const d = def({
      logConfiguration: {
        logDriver: 'awslogs',
        options: {
          'awslogs-group': '/ecs/web',
          'awslogs-region': 'eu-west-1',
          'awslogs-stream-prefix': 'ecs',
        },
      },
    });
    expect(agentLogOptions(d, 'abc123')).toEqual({
      'awslogs-group': '/ecs/web',
      'awslogs-region': 'eu-west-1',
      'awslogs-stream': 'ecs/app/abc123',
    });
    const other = def({ logConfiguration: { logDriver: 'json-file', options: { 'max-size': '10m' } } });
    expect(agentLogOptions(other, 'abc123')).toEqual({ 'max-size': '10m' });
  });
});
