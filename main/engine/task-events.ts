/** Pure builders for ECS Task State Change events (semantics §10). */
import { randomUUID } from 'node:crypto';
import type { TaskDetail, TaskStateChangeEvent } from '../../contract/dto.js';
import type { ArnContext } from './arns.js';
import { taskTimes } from './task-runtime.js';

/** The event for `task` as it is now (its `version` is the event's detail.version). */
export function taskStateChangeEvent(task: TaskDetail, ctx: ArnContext, time: string): TaskStateChangeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'ECS Task State Change',
    source: 'aws.ecs',
    account: ctx.account,
    time,
    region: ctx.region,
    resources: [task.taskArn],
    detail: {
      taskArn: task.taskArn,
      clusterArn: task.clusterArn,
      taskDefinitionArn: task.taskDefinitionArn,
      lastStatus: task.lastStatus,
      desiredStatus: task.desiredStatus,
      healthStatus: task.healthStatus,
      launchType: task.launchType,
      group: task.group,
      ...(task.startedBy ? { startedBy: task.startedBy } : {}),
      ...(task.cpu !== undefined ? { cpu: task.cpu } : {}),
      ...(task.memory !== undefined ? { memory: task.memory } : {}),
      attachments: task.attachments,
      containers: task.containers.map((c) => ({
        containerArn: c.containerArn,
        taskArn: c.taskArn,
        name: c.name,
        image: c.image,
        ...(c.imageDigest ? { imageDigest: c.imageDigest } : {}),
        ...(c.runtimeId ? { runtimeId: c.runtimeId } : {}),
        lastStatus: c.lastStatus,
        ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
        ...(c.reason ? { reason: c.reason } : {}),
        healthStatus: c.healthStatus,
        networkBindings: c.networkBindings,
        networkInterfaces: c.networkInterfaces,
        ...(c.cpu !== undefined ? { cpu: c.cpu } : {}),
        ...(c.memory !== undefined ? { memory: c.memory } : {}),
      })),
      createdAt: task.createdAt,
      ...taskTimes(task),
      version: task.version,
    },
  };
}

/** What makes two snapshots differ enough to deserve an event. */
export function eventSignature(task: TaskDetail): string {
  return JSON.stringify([
    task.lastStatus,
    task.desiredStatus,
    task.healthStatus,
    task.stopCode,
    task.attachments.map((a) => a.status),
    task.containers.map((c) => [
      c.lastStatus,
      c.exitCode,
      c.healthStatus,
      c.reason,
      c.runtimeId,
      c.imageDigest,
      c.networkBindings.map((b) => `${b.bindIP}:${b.hostPort}->${b.containerPort}/${b.protocol}`),
    ]),
  ]);
}
