import { describe, expect, test } from 'vitest';
import {
  clusterArn,
  containerArn,
  DEFAULT_ARN_CONTEXT,
  taskArn,
  taskDefinitionArn,
  taskIdOf,
  type ArnContext,
} from './arns.js';

const ID = '0123456789abcdef0123456789abcdef';
const custom: ArnContext = { region: 'eu-west-1', account: '123456789012', cluster: 'dev' };

describe('ARN builders (semantics §2)', () => {
  test('local defaults are us-east-1, 000000000000, cluster default', () => {
    expect(DEFAULT_ARN_CONTEXT).toEqual({ region: 'us-east-1', account: '000000000000', cluster: 'default' });
  });

  test.each([
    ['cluster', () => clusterArn(DEFAULT_ARN_CONTEXT), 'arn:aws:ecs:us-east-1:000000000000:cluster/default'],
    ['cluster (custom)', () => clusterArn(custom), 'arn:aws:ecs:eu-west-1:123456789012:cluster/dev'],
    ['task', () => taskArn(DEFAULT_ARN_CONTEXT, ID), `arn:aws:ecs:us-east-1:000000000000:task/default/${ID}`],
    ['task (custom)', () => taskArn(custom, ID), `arn:aws:ecs:eu-west-1:123456789012:task/dev/${ID}`],
    [
      'container',
      () => containerArn(DEFAULT_ARN_CONTEXT, ID, 'web'),
      `arn:aws:ecs:us-east-1:000000000000:container/default/${ID}/web`,
    ],
    [
      'container (custom)',
      () => containerArn(custom, ID, 'side_car-1'),
      `arn:aws:ecs:eu-west-1:123456789012:container/dev/${ID}/side_car-1`,
    ],
    [
      'task definition',
      () => taskDefinitionArn(DEFAULT_ARN_CONTEXT, 'web-app', 7),
      'arn:aws:ecs:us-east-1:000000000000:task-definition/web-app:7',
    ],
    [
      'task definition (custom)',
      () => taskDefinitionArn(custom, 'api', 1),
      'arn:aws:ecs:eu-west-1:123456789012:task-definition/api:1',
    ],
  ])('%s', (_name, build, want) => {
    expect(build()).toBe(want);
  });

  test('a task ARN has the 32-hex id as its last segment', () => {
    expect(taskArn(DEFAULT_ARN_CONTEXT, ID)).toMatch(
      /^arn:aws:ecs:[a-z0-9-]+:\d{12}:task\/[^/]+\/[0-9a-f]{32}$/,
    );
  });
});

describe('taskIdOf', () => {
  test.each([
    [`arn:aws:ecs:us-east-1:000000000000:task/default/${ID}`, ID],
    [`arn:aws:ecs:eu-west-1:123456789012:task/dev/${ID}`, ID],
    [ID, ID],
    ['', ''],
  ])('%s → %s', (input, want) => {
    expect(taskIdOf(input)).toBe(want);
  });
});
