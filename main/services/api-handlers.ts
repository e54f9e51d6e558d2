/**
 * `createApiHandlers(services)`: one handler per contract operation. Handlers receive input already
 * validated by the contract's schema (see dispatch.ts) and check what only the services know
 * (does that definition exist, does that override name a real container).
 */
import type { LaunchOverrides, LaunchTypeChoice, PullBehavior, TaskDetail } from '../../contract/dto.js';
import { ApiFailure } from '../../contract/errors.js';
import { refusedRunMessage } from '../docker/docker-reachability.js';
import type { CallerContext } from '../../contract/caller.js';
import type { ApiHandlers } from '../../contract/operations.js';
import { DEFAULT_PUBLISH_ADDRESS, EXPOSED_PUBLISH_ADDRESS } from '../engine/container-config.js';
import { ExecError } from '../exec/exec-errors.js';
import type { ExecOwner, ExecSessions } from '../exec/exec-sessions.js';
import { splitCommand } from '../exec/split-command.js';
import type { TaskOverrides } from '../engine/engine-api.js';
import { launchTypeProblem } from '../engine/launch-type.js';
import { findHostAccess } from '../task-definition/host-access.js';
import type { TaskDefinition } from '../task-definition/model.js';
import type { AppServices } from './app-services.js';
import { toDefinitionView } from './definition-view.js';
import { EXAMPLE_DEFINITION_TEXT, EXAMPLE_FILE_NAME } from './example-definition.js';
import { createRecoveryService } from './recovery-service.js';
import { createServiceHandlers } from './service-handlers.js';

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

/** An exec refusal → the API error (ECS's wording kept; the code tells the UI what to offer). */
export function execFailure(err: unknown): unknown {
  if (!(err instanceof ExecError)) return err;
  switch (err.code) {
    case 'ExecNotEnabled':
      return new ApiFailure('EXEC_NOT_ENABLED', err.message);
    case 'TaskNotFound':
    case 'ContainerNotFound':
    case 'SessionNotFound':
      return new ApiFailure('NOT_FOUND', err.message);
    case 'ContainerNotRunning':
    case 'TooManySessions':
      return new ApiFailure('BAD_REQUEST', err.message);
  }
}

/** The exec owner for a connection: output goes to that connection only. */
function execOwner(caller: CallerContext): ExecOwner {
  return {
    id: caller.connectionId,
    push: (message) => caller.push('exec:output', message),
    onDisconnect: (listener) => caller.onDisconnect(listener),
  };
}

/** Without a recovery service (tests): nothing orphaned, nothing damaged. */
const NO_RECOVERY = createRecoveryService(() => undefined);

/** Builds the handler map over `services`. */
export function createApiHandlers(services: AppServices): ApiHandlers {
  const { library, settings, launches, docker } = services;

  const findTask = (idOrArn: string): TaskDetail => {
    const taskId = taskIdOf(idOrArn);
    const task = docker.engine().describeTask(taskId);
    if (!task) throw new ApiFailure('NOT_FOUND', `No task with id "${taskId}"`, { path: 'taskId' });
    return task;
  };

  const execCall = async <T>(
    name: string,
    caller: CallerContext | undefined,
    call: (sessions: ExecSessions, caller: CallerContext) => T | Promise<T>,
  ): Promise<T> => {
    // dispatchOperation refuses connection-bound calls without a caller; this guards direct use.
    if (!caller) throw new ApiFailure('FORBIDDEN', `${name} needs a connection (a window or a WebSocket)`);
    if (!services.exec)
      throw new ApiFailure('DOCKER_UNAVAILABLE', 'ECS Exec is not available in this process');
    try {
      return await call(services.exec, caller);
    } catch (err) {
      throw execFailure(err);
    }
  };

  const launch = async (
    definitionId: string,
    count: number,
    pullBehavior: PullBehavior | undefined,
    overrides: LaunchOverrides | undefined,
    passOwnCredentials: boolean | undefined,
    allowHostAccess: boolean | undefined,
    enableExecuteCommand: boolean | undefined,
    launchType?: LaunchTypeChoice,
  ): Promise<readonly TaskDetail[]> => {
    const ownCredentials = passOwnCredentials ?? settings.get().passOwnCredentials === true;
    const taskDefinition = library.model(definitionId);
    refuseUnconfirmedHostAccess(taskDefinition, allowHostAccess);
    const badLaunchType = launchType ? launchTypeProblem(taskDefinition, launchType) : undefined;
    if (badLaunchType) throw new ApiFailure('BAD_REQUEST', badLaunchType, { path: 'launchType' });
    const engineOverrides = toTaskOverrides(taskDefinition, overrides);
    const engine = docker.engine();
    const pull = pullBehavior ?? settings.get().defaultPullBehavior;
    const publishAddress = settings.get().exposePorts ? EXPOSED_PUBLISH_ADDRESS : DEFAULT_PUBLISH_ADDRESS;
    const tasks: TaskDetail[] = [];
    // Docker away: refused with the engine's message (nothing is created).
    const reach = engine.dockerReachability?.();
    if (reach && !reach.reachable) throw new ApiFailure('DOCKER_UNAVAILABLE', refusedRunMessage(reach));
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
          ...(enableExecuteCommand !== undefined ? { enableExecuteCommand } : {}),
          ...(launchType ? { launchType } : {}),
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
        ...(t.enableExecuteCommand ? { enableExecuteCommand: true } : {}),
        ...(launchType ? { launchType } : {}),
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
      enableExecuteCommand,
      launchType,
    }) =>
      launch(
        definitionId,
        count,
        pullBehavior,
        overrides,
        passOwnCredentials,
        allowHostAccess,
        enableExecuteCommand,
        launchType,
      ),
    'tasks:rerun': async ({
      taskId,
      count,
      pullBehavior,
      overrides,
      passOwnCredentials,
      allowHostAccess,
      enableExecuteCommand,
      launchType,
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
        enableExecuteCommand ?? record?.enableExecuteCommand ?? task.enableExecuteCommand,
        launchType ?? record?.launchType,
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

    'exec:start': async ({ taskId, container, command, cols, rows }, caller) => {
      let words: string[];
      try {
        words = splitCommand(command);
      } catch (err) {
        throw new ApiFailure('BAD_REQUEST', `command: ${(err as Error).message}`, { path: 'command' });
      }
      return execCall('exec:start', caller, (sessions, c) =>
        sessions.start(execOwner(c), { task: taskId, container, command: words, cols, rows }),
      );
    },
    'exec:input': async ({ sessionId, data }, caller) =>
      execCall('exec:input', caller, (sessions, c) => {
        sessions.input(c.connectionId, sessionId, data);
        return { accepted: true } as const;
      }),
    'exec:resize': async ({ sessionId, cols, rows }, caller) =>
      execCall('exec:resize', caller, async (sessions, c) => {
        await sessions.resize(c.connectionId, sessionId, cols, rows);
        return { accepted: true } as const;
      }),
    'exec:close': async ({ sessionId }, caller) =>
      execCall('exec:close', caller, (sessions, c) => {
        sessions.close(c.connectionId, sessionId);
        return { accepted: true } as const;
      }),

    'recovery:status': async () => (services.recovery ?? NO_RECOVERY).status(),
    'recovery:cleanOrphans': async () => (services.recovery ?? NO_RECOVERY).cleanOrphans(),

    ...createServiceHandlers(services),
  };
}
