/**
 * The definition-side facts the metadata documents need that a TaskDetail does not carry: each
 * container's cpu/memory and log configuration as the agent received it, and the task's tags.
 */
import type { TaskRuntime } from '../engine/task-runtime.js';
import type { ContainerDefinition } from '../task-definition/model.js';
import type { ContainerExtras, MetadataExtras } from './metadata-documents.js';

/**
 * The log options the agent reports: ECS turns `awslogs-stream-prefix` into the full
 * `awslogs-stream` (`<prefix>/<container>/<task id>`) before the agent sees the task, so the
 * metadata shows the stream and not the prefix.
 */
export function agentLogOptions(def: ContainerDefinition, taskId: string): Record<string, string> {
  const cfg = def.logConfiguration;
  if (!cfg) return {};
  const options: Record<string, string> = { ...cfg.options };
  const prefix = options['awslogs-stream-prefix'];
  if (cfg.logDriver === 'awslogs' && prefix) {
    delete options['awslogs-stream-prefix'];
    options['awslogs-stream'] = `${prefix}/${def.name}/${taskId}`;
  }
  return options;
}

function containerExtras(def: ContainerDefinition, taskId: string): ContainerExtras {
  return {
    cpu: def.cpu,
    ...(def.memory !== undefined ? { memory: def.memory } : {}),
    ...(def.logConfiguration
      ? { logDriver: def.logConfiguration.logDriver, logOptions: agentLogOptions(def, taskId) }
      : {}),
  };
}

/** The extras of a task, read fresh on every request (the runtime is the task's live record). */
export function metadataExtrasOf(rt: TaskRuntime): MetadataExtras {
  const tags: Record<string, string> = {};
  for (const t of rt.definition.tags ?? []) tags[t.key] = t.value;
  for (const t of rt.tags ?? []) tags[t.key] = t.value;
  return {
    containers: Object.fromEntries(rt.containers.map((c) => [c.name, containerExtras(c.def, rt.taskId)])),
    tags,
    ...(rt.pauseContainerId ? { pauseContainerId: rt.pauseContainerId } : {}),
  };
}
