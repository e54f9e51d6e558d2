/**
 * `createApiHandlers(services)`: one handler per contract operation. Handlers receive input already
 * validated by the contract's schema (see dispatch.ts) and check what only the services know
 * (does that definition exist, does that override name a real container).
 */
import type { LaunchOverrides, PullBehavior, TaskDetail } from '../../contract/dto.js';
import { ApiFailure } from '../../contract/errors.js';
import type { ApiHandlers } from '../../contract/operations.js';
import { DEFAULT_PUBLISH_ADDRESS, EXPOSED_PUBLISH_ADDRESS } from '../engine/container-config.js';
import type { TaskOverrides } from '../engine/engine-api.js';
import { findHostAccess } from '../task-definition/host-access.js';
import type { TaskDefinition } from '../task-definition/model.js';
import type { AppServices } from './app-services.js';
import { toDefinitionView } from './definition-view.js';
import { EXAMPLE_DEFINITION_TEXT, EXAMPLE_FILE_NAME } from './example-definition.js';

/** A task ARN or id → the id. */
export function taskIdOf(idOrArn: string): string {
  const slash = idOrArn.lastIndexOf('/');
  return slash >= 0 ? idOrArn.slice(slash + 1) : idOrArn;
}

/** Checks overrides against the definition and maps them to the engine's RunTask overrides. */
export function toTaskOverrides(
  def: TaskDefinition,
  overrides: LaunchOverrides | undefined,
): TaskOverrides | undefined {
  const list = overrides?.containerOverrides;
  if (!list || list.length === 0) return undefined;
  const names = new Set(def.containerDefinitions.map((c) => c.name));
  list.forEach((o, i) => {
    if (!names.has(o.name)) {
      throw new ApiFailure(
        'BAD_REQUEST',
        `overrides.containerOverrides[${i}].name: "${o.name}" is not a container of ${def.family} (containers: ${[...names].join(', ')})`,
        { path: `overrides.containerOverrides[${i}].name` },
      );
    }
  });
  return {
    containerOverrides: list.map((o) => ({
      name: o.name,
      ...(o.command !== undefined ? { command: o.command } : {}),
      ...(o.environment !== undefined ? { environment: o.environment } : {}),
      ...(o.cpu !== undefined ? { cpu: o.cpu } : {}),
      ...(o.memory !== undefined ? { memory: o.memory } : {}),
    })),
  };
}

/**
 * Host access is valid ECS, so it is not an error; but no transport may run it unless the request
 * says the user confirmed it (the launch dialog's checkbox), or the confirmation is bypassable.
 */
export function refuseUnconfirmedHostAccess(def: TaskDefinition, allowHostAccess: boolean | undefined): void {
  const access = findHostAccess(def);
  if (access.length === 0 || allowHostAccess === true) return;
  throw new ApiFailure(
    'BAD_REQUEST',
    `${def.family} asks for host access (${access.map((a) => a.setting).join(', ')}); confirm it to launch`,
    {
      path: 'allowHostAccess',
      issues: access.map((a) => ({ path: a.path, message: `${a.setting}: ${a.message}` })),
    },
  );
}

/** Builds the handler map over `services`. */
export function createApiHandlers(services: AppServices): ApiHandlers {
  const { library, settings, launches, docker } = services;

  const findTask = (idOrArn: string): TaskDetail => {
    const taskId = taskIdOf(idOrArn);
    const task = docker.engine().describeTask(taskId);
    if (!task) throw new ApiFailure('NOT_FOUND', `No task with id "${taskId}"`, { path: 'taskId' });
    return task;
  };

  const launch = async (
    definitionId: string,
    count: number,
    pullBehavior: PullBehavior | undefined,
    overrides: LaunchOverrides | undefined,
    passOwnCredentials: boolean | undefined,
    allowHostAccess: boolean | undefined,
  ): Promise<readonly TaskDetail[]> => {
    const ownCredentials = passOwnCredentials ?? settings.get().passOwnCredentials === true;
    const taskDefinition = library.model(definitionId);
    refuseUnconfirmedHostAccess(taskDefinition, allowHostAccess);
    const engineOverrides = toTaskOverrides(taskDefinition, overrides);
    const engine = docker.engine();
    const pull = pullBehavior ?? settings.get().defaultPullBehavior;
    const publishAddress = settings.get().exposePorts ? EXPOSED_PUBLISH_ADDRESS : DEFAULT_PUBLISH_ADDRESS;
    const tasks: TaskDetail[] = [];
    for (let i = 0; i < count; i++) {
      tasks.push(
        await engine.runTask({
          taskDefinition,
          definitionId,
          pullBehavior: pull,
          publishAddress,
          // A library definition has no folder: its local env files need the user's permission.
          environmentFileScope: { allowOutside: settings.get().allowEnvFilesOutsideFolder },
          ...(engineOverrides ? { overrides: engineOverrides } : {}),
          ...(ownCredentials ? { passOwnCredentials: true } : {}),
        }),
      );
    }
    await launches.add(
      tasks.map((t) => ({
        taskId: t.taskId,
        definitionId,
        pullBehavior: pull,
        ...(overrides ? { overrides } : {}),
        ...(ownCredentials ? { passOwnCredentials: true } : {}),
      })),
    );
    return tasks;
  };

  return {
    'app:info': async () => services.info(),

    'definitions:list': async () => library.list(),
    'definitions:get': async ({ id }) => library.get(id),
    'definitions:validate': async ({ text, fileName }) => library.validate(text, fileName),
    'definitions:import': async ({ text, fileName }) => library.import(text, fileName),
    'definitions:update': async ({ id, text }) => library.update(id, text),
    'definitions:delete': async ({ id }) => {
      await library.delete(id);
      return { deleted: true };
    },
    'definitions:example': async () => library.import(EXAMPLE_DEFINITION_TEXT, EXAMPLE_FILE_NAME),

    'tasks:list': async () => docker.maybeEngine()?.listTasks() ?? [],
    'tasks:get': async ({ taskId }) => findTask(taskId),
    'tasks:run': async ({
      definitionId,
      count,
      pullBehavior,
      overrides,
      passOwnCredentials,
      allowHostAccess,
    }) => launch(definitionId, count, pullBehavior, overrides, passOwnCredentials, allowHostAccess),
    'tasks:rerun': async ({
      taskId,
      count,
      pullBehavior,
      overrides,
      passOwnCredentials,
      allowHostAccess,
    }) => {
      const task = findTask(taskId);
      const record = launches.get(task.taskId);
      const definitionId = record?.definitionId ?? task.definitionId;
      if (definitionId === undefined) {
        throw new ApiFailure(
          'NOT_FOUND',
          'This task was not launched from a saved definition, so it cannot be re-run from here',
          { path: 'taskId' },
        );
      }
      return launch(
        definitionId,
        count,
        pullBehavior ?? record?.pullBehavior,
        overrides ?? record?.overrides,
        passOwnCredentials ?? record?.passOwnCredentials ?? false,
        allowHostAccess,
      );
    },
    'tasks:launchRecord': async ({ taskId }) => {
      const task = findTask(taskId);
      return (
        launches.get(task.taskId) ??
        (task.definitionId !== undefined ? { taskId: task.taskId, definitionId: task.definitionId } : null)
      );
    },
    'tasks:stop': async ({ taskId, reason }) => {
      const task = findTask(taskId);
      const trimmed = reason?.trim();
      return docker.engine().stopTask(task.taskId, trimmed ? trimmed : undefined);
    },
    'tasks:events': async ({ taskId }) => docker.engine().events(findTask(taskId).taskId),
    'tasks:logs': async ({ taskId, container, afterSeq, limit }) =>
      docker.engine().logs(findTask(taskId).taskId, {
        ...(container !== undefined ? { container } : {}),
        ...(afterSeq !== undefined ? { afterSeq } : {}),
        ...(limit !== undefined ? { limit } : {}),
      }),
    'tasks:healthProbes': async ({ taskId }) => docker.engine().healthProbes(findTask(taskId).taskId),
    'tasks:stats': async ({ taskId }) => docker.engine().resources(findTask(taskId).taskId),
    'tasks:definition': async ({ taskId }) => {
      const def = docker.engine().taskDefinitionOf(findTask(taskId).taskId);
      return def ? toDefinitionView(def) : null;
    },
    'tasks:endpoints': async ({ taskId, container }) => {
      const task = findTask(taskId);
      if (!task.containers.some((c) => c.name === container)) {
        throw new ApiFailure(
          'NOT_FOUND',
          `Task ${task.taskId} has no container "${container}" (containers: ${task.containers.map((c) => c.name).join(', ')})`,
          { path: 'container' },
        );
      }
      if (!services.endpointView) {
        return { container, unavailable: 'This engine runs without metadata endpoints.' };
      }
      return { ...(await services.endpointView(task.taskId, container)), container };
    },

    'docker:status': async () => docker.status(),
    'docker:retry': async () => docker.retry(),

    'settings:get': async () => settings.get(),
    'settings:update': async (patch) => {
      const before = settings.get();
      const after = await settings.update(patch);
      if (before.dockerEndpoint !== after.dockerEndpoint || before.dockerContext !== after.dockerContext) {
        // Reconnect in the background; the new status arrives on `docker:status`.
        docker
          .retry()
          .catch((err: unknown) => console.error('[taskdeck] reconnecting to Docker failed:', err));
      }
      return after;
    },
  };
}
