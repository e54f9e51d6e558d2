/**
 * Test fixtures for the endpoint tests (unit and integration): a TaskDetail the way the engine
 * would report it, and a fake live source. Not used by production code.
 */
import type Docker from '../docker/docker-client.js';
import type { Attachment, ContainerDetail, TaskDetail } from '../../contract/dto.js';
import type { TaskEndpointsSource } from './endpoint-server.js';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

/** A container record with sensible defaults. */
export function fakeContainer(
  taskId: string,
  name: string,
  extra: Partial<ContainerDetail> = {},
): ContainerDetail {
  const taskArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/default/${taskId}`;
  return {
    containerArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:container/default/${taskId}/${name}`,
    taskArn,
    name,
    image: 'taskdeck-test/busybox:latest',
    lastStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    networkBindings: [],
    networkInterfaces: [],
    essential: true,
    phase: 'RUNNING',
    phases: [],
    dependencies: [],
    ...extra,
  };
}

/** A running task record. */
export function fakeTask(
  taskId: string,
  networkMode: string,
  containers: readonly ContainerDetail[],
  extra: Partial<TaskDetail> = {},
): TaskDetail {
  return {
    taskArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task/default/${taskId}`,
    clusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/default`,
    taskDefinitionArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/demo:3`,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    healthStatus: 'UNKNOWN',
    launchType: 'FARGATE',
    group: 'family:demo',
    cpu: '256',
    memory: '512',
    attachments: [],
    containers,
    createdAt: '2026-01-01T00:00:00.000Z',
    pullStartedAt: '2026-01-01T00:00:01.000Z',
    pullStoppedAt: '2026-01-01T00:00:02.000Z',
    version: 3,
    taskId,
    family: 'demo',
    revision: 3,
    networkMode,
    ...extra,
  };
}

/** The ENI attachment the engine builds from the task network's inspect. */
export function eniAttachment(values: {
  ip: string;
  mac: string;
  dns?: string;
  subnetId?: string;
}): Attachment {
  return {
    id: 'eni-attach-0001',
    type: 'ElasticNetworkInterface',
    status: 'ATTACHED',
    details: [
      { name: 'subnetId', value: values.subnetId ?? 'subnet-local' },
      { name: 'networkInterfaceId', value: 'eni-0123456789abcdef0' },
      { name: 'macAddress', value: values.mac },
      { name: 'privateDnsName', value: values.dns ?? `ip-${values.ip.replace(/\./g, '-')}.ec2.internal` },
      { name: 'privateIPv4Address', value: values.ip },
    ],
  };
}

/** A mutable fake of the engine's live source. */
export class FakeSource implements TaskEndpointsSource {
  readonly ids = new Map<string, string>();
  /** Latest stats documents by container name (what the engine's stream would hold). */
  readonly statsDocs = new Map<string, Record<string, unknown>>();
  constructor(
    readonly docker: Docker,
    public current: TaskDetail,
  ) {}
  task(): TaskDetail {
    return this.current;
  }
  containerId(name: string): string | undefined {
    return this.ids.get(name);
  }
  async stats(name: string): Promise<Record<string, unknown> | undefined> {
    return this.statsDocs.get(name);
  }
}
