/** The create options of one app container of a task, from the task's state and launch material. */
import type Docker from '../docker/docker-client.js';
import { parseTaskCpu, parseTaskMemory } from '../task-definition/task-size.js';
import { agentEnvironment } from './agent-environment.js';
import { toContainerCreateOptions } from './container-config.js';
import { clusterLabelValue } from './launch-type.js';
import { dockerLinks } from './links.js';
import {
  LABEL_EXEC_ENABLED,
  LABEL_GROUP,
  LABEL_STARTED_BY,
  taskLabels,
  type TaskLabelInput,
} from './labels.js';
import type { PreparedLaunch } from './launch-hooks.js';
import type { ContainerRuntime, TaskRuntime } from './task-runtime.js';

/** What the labels of a task's Docker objects are made from. */
export function labelInputOf(rt: TaskRuntime): TaskLabelInput {
  return {
    clusterArn: rt.clusterArn,
    taskArn: rt.taskArn,
    taskId: rt.taskId,
    family: rt.definition.family,
    revision: rt.definition.revision,
    ...(rt.ownerLabels ? { owner: rt.ownerLabels } : {}),
    clusterLabel: clusterLabelValue(rt.launchType, rt.clusterArn),
  };
}

/** Throws (with a message for CannotCreateContainerError) when a mount or volumesFrom source is missing. */
export function appContainerOptions(
  rt: TaskRuntime,
  c: ContainerRuntime,
  prepared: PreparedLaunch | undefined,
  imageEnvKeys?: ReadonlySet<string>,
): Docker.ContainerCreateOptions {
  const containerIds = new Map(
    rt.containers.filter((x) => x.dockerId).map((x) => [x.name, x.dockerId!] as const),
  );
  return toContainerCreateOptions(c.def, {
    dockerName: c.dockerName,
    labels: {
      ...taskLabels(labelInputOf(rt), 'app', c.name),
      ...(rt.enableExecuteCommand ? { [LABEL_EXEC_ENABLED]: 'true' } : {}),
      [LABEL_GROUP]: rt.group,
      ...(rt.startedBy ? { [LABEL_STARTED_BY]: rt.startedBy } : {}),
    },
    networkMode: rt.definition.networkMode,
    ...(rt.pauseContainerId ? { networkContainerId: rt.pauseContainerId } : {}),
    volumeSources: new Map(Object.entries(rt.volumeSources)),
    containerIds,
    extraEnv: prepared?.extraEnv(c.name) ?? {},
    endpointEnv: { ...(prepared?.env(c.name) ?? {}), ...agentEnvironment(rt).fixed },
    ...(agentEnvironment(rt).region ? { regionEnv: agentEnvironment(rt).region } : {}),
    ...(imageEnvKeys ? { imageEnvKeys } : {}),
    extraHosts: prepared?.extraHosts ?? [],
    links: dockerLinks(c.def, (name) => rt.containers.find((x) => x.name === name)?.dockerName),
    ...(rt.publishAddress ? { publishAddress: rt.publishAddress } : {}),
    ...taskSizeOf(rt),
  });
}

/** Task-level cpu and memory (after overrides) as numbers; RunTask already refused malformed ones. */
export function taskSizeOf(rt: TaskRuntime): { taskCpu?: number; taskMemory?: number } {
  const cpu = parseTaskCpu(rt.cpu);
  const memory = parseTaskMemory(rt.memory);
  return {
    ...(cpu.ok ? { taskCpu: cpu.value } : {}),
    ...(memory.ok ? { taskMemory: memory.value } : {}),
  };
}
