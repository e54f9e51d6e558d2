import { describe, expect, it } from 'vitest';
import type { EventContainer, TaskEventDetail } from '../../../../contract/dto.js';
import { diffEventDetails, formatValue } from './event-diff.js';

const ctr = (name: string, over: Partial<EventContainer> = {}): EventContainer => ({
  containerArn: `arn:c/${name}`,
  taskArn: 'arn:t',
  name,
  image: 'busybox',
  lastStatus: 'PENDING',
  healthStatus: 'UNKNOWN',
  networkBindings: [],
  networkInterfaces: [],
  ...over,
});
const detail = (over: Partial<TaskEventDetail> = {}): TaskEventDetail => ({
  taskArn: 'arn:t',
  clusterArn: 'arn:c',
  taskDefinitionArn: 'arn:td',
  lastStatus: 'PENDING',
  desiredStatus: 'RUNNING',
  healthStatus: 'UNKNOWN',
  launchType: 'FARGATE',
  group: 'family:f',
  attachments: [],
  containers: [ctr('db'), ctr('app')],
  createdAt: '2025-01-01T00:00:00Z',
  version: 1,
  ...over,
});

describe('diffEventDetails', () => {
  it.each([
    {
      name: 'status change, version ignored',
      before: detail(),
      after: detail({ lastStatus: 'RUNNING', version: 2, startedAt: '2025-01-01T00:00:05Z' }),
      changes: [
        { path: 'lastStatus', before: 'PENDING', after: 'RUNNING', kind: 'changed' },
        { path: 'startedAt', after: '2025-01-01T00:00:05Z', kind: 'added' },
      ],
    },
    {
      name: 'container matched by name even when reordered',
      before: detail(),
      after: detail({ containers: [ctr('app'), ctr('db', { lastStatus: 'RUNNING', runtimeId: 'abc' })] }),
      changes: [
        { path: 'containers[db].lastStatus', before: 'PENDING', after: 'RUNNING', kind: 'changed' },
        { path: 'containers[db].runtimeId', after: 'abc', kind: 'added' },
      ],
    },
    {
      name: 'exit code and reason appear',
      before: detail({ containers: [ctr('db', { lastStatus: 'RUNNING' })] }),
      after: detail({
        containers: [ctr('db', { lastStatus: 'STOPPED', exitCode: 3, reason: 'boom' })],
        stopCode: 'EssentialContainerExited',
      }),
      changes: [
        { path: 'containers[db].lastStatus', before: 'RUNNING', after: 'STOPPED', kind: 'changed' },
        { path: 'containers[db].exitCode', after: 3, kind: 'added' },
        { path: 'containers[db].reason', after: 'boom', kind: 'added' },
        { path: 'stopCode', after: 'EssentialContainerExited', kind: 'added' },
      ],
    },
    {
      name: 'attachment details keyed by name',
      before: detail({
        attachments: [{ id: 'eni', type: 'ElasticNetworkInterface', status: 'PRECREATED', details: [] }],
      }),
      after: detail({
        attachments: [
          {
            id: 'eni',
            type: 'ElasticNetworkInterface',
            status: 'ATTACHED',
            details: [{ name: 'macAddress', value: '02:42:ac:11:00:02' }],
          },
        ],
      }),
      changes: [
        { path: 'attachments[eni].status', before: 'PRECREATED', after: 'ATTACHED', kind: 'changed' },
        {
          path: 'attachments[eni].details[macAddress]',
          after: { name: 'macAddress', value: '02:42:ac:11:00:02' },
          kind: 'added',
        },
      ],
    },
    { name: 'identical → nothing', before: detail(), after: detail({ version: 9 }), changes: [] },
  ])('$name', ({ before, after, changes }) => expect(diffEventDetails(before, after)).toEqual(changes));

  it('first event: every field is added', () => {
    const changes = diffEventDetails(undefined, detail());
    expect(changes.every((c) => c.kind === 'added')).toBe(true);
    expect(changes.map((c) => c.path)).toContain('lastStatus');
    expect(changes.map((c) => c.path)).not.toContain('version');
  });
});

describe('formatValue', () => {
  it.each([
    [undefined, '—'],
    ['RUNNING', 'RUNNING'],
    [3, '3'],
    [{ a: 1 }, '{"a":1}'],
    ['x'.repeat(5), 'xxxxx'],
  ])('%j', (v, s) => expect(formatValue(v)).toBe(s));
});
