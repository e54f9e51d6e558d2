/** Normalised task-definition model → the view the UI shows (no I/O). */
import type { TaskDefinitionView } from '../../contract/dto.js';
import { findHostAccess } from '../task-definition/host-access.js';
import type { TaskDefinition } from '../task-definition/model.js';

/** Reduces the model to what the library screens display. */
export function toDefinitionView(def: TaskDefinition): TaskDefinitionView {
  return {
    family: def.family,
    revision: def.revision,
    networkMode: def.networkMode,
    ...(def.cpu !== undefined ? { cpu: def.cpu } : {}),
    ...(def.memory !== undefined ? { memory: def.memory } : {}),
    ...(def.taskRoleArn !== undefined ? { taskRoleArn: def.taskRoleArn } : {}),
    ...(def.executionRoleArn !== undefined ? { executionRoleArn: def.executionRoleArn } : {}),
    containers: def.containerDefinitions.map((c) => ({
      name: c.name,
      image: c.image,
      essential: c.essential,
      ...(c.command !== undefined ? { command: c.command } : {}),
      ...(c.entryPoint !== undefined ? { entryPoint: c.entryPoint } : {}),
      cpu: c.cpu,
      ...(c.memory !== undefined ? { memory: c.memory } : {}),
      ...(c.memoryReservation !== undefined ? { memoryReservation: c.memoryReservation } : {}),
      portMappings: c.portMappings.map((p) => ({
        containerPort: p.containerPort,
        ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}),
        protocol: p.protocol,
      })),
      environment: c.environment.map((e) => ({ name: e.name, value: e.value })),
      secrets: c.secrets.map((s) => ({ name: s.name, valueFrom: s.valueFrom })),
      ...(c.healthCheck !== undefined ? { healthCheck: { ...c.healthCheck } } : {}),
      dependsOn: c.dependsOn.map((d) => ({ containerName: d.containerName, condition: d.condition })),
      ...(c.stopTimeout !== undefined ? { stopTimeout: c.stopTimeout } : {}),
      ...(c.startTimeout !== undefined ? { startTimeout: c.startTimeout } : {}),
    })),
    hostAccess: findHostAccess(def),
  };
}
