/**
 * Every operation name, as a plain list with no runtime dependency: the preload (sandboxed,
 * cannot `require('zod')`) builds `window.taskdeck` from it. `operations.ts` checks at compile
 * time that this list and the schema map have exactly the same keys.
 */
export const OPERATION_NAMES = [
  'app:info',
  'definitions:list',
  'definitions:get',
  'definitions:validate',
  'definitions:import',
  'definitions:update',
  'definitions:delete',
  'definitions:example',
  'tasks:list',
  'tasks:get',
  'tasks:run',
  'tasks:rerun',
  'tasks:launchRecord',
  'tasks:stop',
  'tasks:events',
  'tasks:logs',
  'tasks:healthProbes',
  'tasks:definition',
  'tasks:endpoints',
  'docker:status',
  'docker:retry',
  'settings:get',
  'settings:update',
  'tasks:stats',
  'exec:start',
  'exec:input',
  'exec:resize',
  'exec:close',
  'recovery:status',
  'recovery:cleanOrphans',
  'services:list',
  'services:get',
  'services:create',
  'services:update',
  'services:delete',
] as const;

/** Name of one operation (`tasks:run`, `definitions:import`…). */
export type OperationName = (typeof OPERATION_NAMES)[number];

/** Whether `name` is a known operation (transports use it before looking a handler up). */
export function isOperationName(name: string): name is OperationName {
  return (OPERATION_NAMES as readonly string[]).includes(name);
}

/** Electron IPC channel carrying one operation (shared by preload and main/ipc). */
export function operationChannel(name: OperationName): string {
  return `taskdeck:op:${name}`;
}

/**
 * Operations bound to the caller's connection (an Electron window, a web-mode WebSocket): exec
 * sessions belong to the connection that started them and die with it. Web mode carries these
 * over its authenticated WebSocket only; a call without a connection is refused.
 */
export const CONNECTION_OPERATIONS: readonly OperationName[] = [
  'exec:start',
  'exec:input',
  'exec:resize',
  'exec:close',
];

/** Whether `name` must be called on a connection (see CONNECTION_OPERATIONS). */
export function isConnectionOperation(name: string): boolean {
  return (CONNECTION_OPERATIONS as readonly string[]).includes(name);
}
