/** Query keys: one place, so push handlers and hooks agree. */
export const queryKeys = {
  appInfo: ['app-info'] as const,
  definitions: ['definitions'] as const,
  definition: (id: string) => ['definitions', id] as const,
  tasks: ['tasks'] as const,
  task: (taskId: string) => ['task', taskId] as const,
  launchRecord: (taskId: string) => ['launch-record', taskId] as const,
  pull: (taskId: string) => ['pull', taskId] as const,
  logs: (taskId: string) => ['logs', taskId] as const,
  events: (taskId: string) => ['events', taskId] as const,
  probes: (taskId: string) => ['probes', taskId] as const,
  taskDefinition: (taskId: string) => ['task-definition', taskId] as const,
  endpoints: (taskId: string, container: string) => ['endpoints', taskId, container] as const,
  stats: (taskId: string) => ['stats', taskId] as const,
  docker: ['docker'] as const,
  settings: ['settings'] as const,
  recovery: ['recovery'] as const,
};
