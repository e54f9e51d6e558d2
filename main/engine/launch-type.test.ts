import { describe, expect, it } from 'vitest';
import type { TaskDefinition } from '../task-definition/model.js';
import { clusterLabelValue, defaultLaunchType, ec2DockerName, launchTypeProblem } from './launch-type.js';

function def(extra: Partial<TaskDefinition>): TaskDefinition {
  return {
    family: 'web',
    revision: 4,
    networkMode: 'bridge',
    containerDefinitions: [],
    volumes: [],
    requiresCompatibilities: [],
    ...extra,
  };
}

describe('launch type', () => {
  it('is FARGATE only for Fargate-compatible awsvpc definitions, EC2 otherwise', () => {
    expect(defaultLaunchType(def({ networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'] }))).toBe(
      'FARGATE',
    );
    expect(defaultLaunchType(def({ networkMode: 'awsvpc', cpu: 256, memory: 512 }))).toBe('FARGATE');
    expect(defaultLaunchType(def({ networkMode: 'awsvpc' }))).toBe('EC2');
    expect(
      defaultLaunchType(
        def({ networkMode: 'awsvpc', requiresCompatibilities: ['EC2'], cpu: 256, memory: 512 }),
      ),
    ).toBe('EC2');
    expect(defaultLaunchType(def({ networkMode: 'bridge', requiresCompatibilities: ['FARGATE'] }))).toBe(
      'EC2',
    );
    expect(defaultLaunchType(def({ networkMode: 'host' }))).toBe('EC2');
  });

  it('refuses FARGATE without awsvpc and EC2 for a FARGATE-only definition', () => {
    expect(launchTypeProblem(def({ networkMode: 'bridge' }), 'FARGATE')).toMatch(
      /does not support launch_type FARGATE/,
    );
    expect(
      launchTypeProblem(def({ networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'] }), 'EC2'),
    ).toMatch(/does not support launch_type EC2/);
    expect(launchTypeProblem(def({ networkMode: 'awsvpc' }), 'FARGATE')).toBeUndefined();
    expect(launchTypeProblem(def({}), 'EC2')).toBeUndefined();
  });

  it('names EC2 containers and labels the cluster as the agent does', () => {
    // Only [A-Za-z0-9-] of the name; the last 20 hex digits of the task id.
    expect(ec2DockerName('web', 4, 'my_app.1', '0123456789abcdef0123456789abcdef')).toBe(
      'ecs-web-4-myapp1-cdef0123456789abcdef',
    );
    expect(ec2DockerName('web', 4, 'app', '0123456789abcdef0123456789abcdef')).toMatch(
      /^ecs-web-4-app-[0-9a-f]{20}$/,
    );
    const arn = 'arn:aws:ecs:eu-west-1:123456789012:cluster/dev';
    expect(clusterLabelValue('EC2', arn)).toBe('dev');
    expect(clusterLabelValue('FARGATE', arn)).toBe(arn);
  });
});
