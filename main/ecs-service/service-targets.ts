/**
 * Where a service task's load-balancer target is, as ECS registers it: awsvpc → the task ENI's
 * private IP and the container port; bridge/host → the host (127.0.0.1) and the host port Docker
 * bound for the container port (`networkBindings`).
 */
import type { TaskDetail } from '../../contract/dto.js';
import type { TargetRef } from './load-balancer-api.js';

/** The target for `containerName:containerPort` of a RUNNING task; undefined when it has no address yet. */
export function targetFor(
  task: TaskDetail,
  containerName: string,
  containerPort: number,
): TargetRef | undefined {
  const c = task.containers.find((x) => x.name === containerName);
  if (!c) return undefined;
  if (task.networkMode === 'awsvpc') {
    const fromEni = task.attachments
      .flatMap((a) => a.details)
      .find((d) => d.name === 'privateIPv4Address')?.value;
    const ip = fromEni ?? c.networkInterfaces[0]?.privateIpv4Address;
    return ip ? { taskId: task.taskId, containerName, host: ip, port: containerPort } : undefined;
  }
  const binding = c.networkBindings.find((b) => b.containerPort === containerPort && b.protocol === 'tcp');
  if (binding) return { taskId: task.taskId, containerName, host: '127.0.0.1', port: binding.hostPort };
  if (task.networkMode === 'host')
    return { taskId: task.taskId, containerName, host: '127.0.0.1', port: containerPort };
  return undefined;
}
