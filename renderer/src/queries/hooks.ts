/** Query hooks. No polling anywhere: freshness comes from push topics (see use-push-updates). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  DefinitionDetail,
  DefinitionSummary,
  PullProgress,
  Settings,
  TaskDetail,
} from '../../../contract/dto.js';
import type { OperationInput } from '../../../contract/operations.js';
import { useApi } from '../api/api-context.js';
import { queryKeys } from './keys.js';

export function useAppInfo() {
  const { call } = useApi();
  return useQuery({ queryKey: queryKeys.appInfo, queryFn: () => call('app:info', {}), staleTime: Infinity });
}

export function useDefinitions() {
  const { call } = useApi();
  return useQuery({ queryKey: queryKeys.definitions, queryFn: () => call('definitions:list', {}) });
}

export function useDefinition(id: string | undefined) {
  const { call } = useApi();
  return useQuery({
    queryKey: queryKeys.definition(id ?? ''),
    queryFn: () => call('definitions:get', { id: id ?? '' }),
    enabled: id !== undefined,
  });
}

function upsertSummary(
  list: readonly DefinitionSummary[] | undefined,
  d: DefinitionDetail,
): DefinitionSummary[] {
  const summary: DefinitionSummary = {
    id: d.id,
    family: d.family,
    ...(d.fileName !== undefined ? { fileName: d.fileName } : {}),
    valid: d.valid,
    ...(d.networkMode !== undefined ? { networkMode: d.networkMode } : {}),
    containerNames: d.containerNames,
    errorCount: d.errorCount,
    warningCount: d.warningCount,
    importedAt: d.importedAt,
    updatedAt: d.updatedAt,
  };
  const rest = (list ?? []).filter((x) => x.id !== d.id);
  return [summary, ...rest].sort((a, b) => b.importedAt.localeCompare(a.importedAt));
}

/** Import, example, update: all land a DefinitionDetail in the cache. */
export function useSaveDefinition() {
  const { call } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (
      input:
        | { kind: 'import'; text: string; fileName?: string }
        | { kind: 'example' }
        | { kind: 'update'; id: string; text: string },
    ) => {
      switch (input.kind) {
        case 'import':
          return call('definitions:import', {
            text: input.text,
            ...(input.fileName !== undefined ? { fileName: input.fileName } : {}),
          });
        case 'example':
          return call('definitions:example', {});
        case 'update':
          return call('definitions:update', { id: input.id, text: input.text });
      }
    },
    onSuccess: (detail) => {
      qc.setQueryData(queryKeys.definition(detail.id), detail);
      qc.setQueryData<readonly DefinitionSummary[]>(queryKeys.definitions, (list) =>
        upsertSummary(list, detail),
      );
    },
  });
}

export function useDeleteDefinition() {
  const { call } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call('definitions:delete', { id }).then(() => id),
    onSuccess: (id) => {
      qc.setQueryData<readonly DefinitionSummary[]>(queryKeys.definitions, (list) =>
        (list ?? []).filter((d) => d.id !== id),
      );
      qc.removeQueries({ queryKey: queryKeys.definition(id) });
    },
  });
}

export function useTasks() {
  const { call } = useApi();
  return useQuery({ queryKey: queryKeys.tasks, queryFn: () => call('tasks:list', {}) });
}

export function useTask(taskId: string | undefined) {
  const { call } = useApi();
  const qc = useQueryClient();
  return useQuery({
    queryKey: queryKeys.task(taskId ?? ''),
    queryFn: () => call('tasks:get', { taskId: taskId ?? '' }),
    enabled: taskId !== undefined,
    // The list usually has it already.
    initialData: () =>
      qc.getQueryData<readonly TaskDetail[]>(queryKeys.tasks)?.find((t) => t.taskId === taskId),
  });
}

export function useLaunchRecord(taskId: string | undefined) {
  const { call } = useApi();
  return useQuery({
    queryKey: queryKeys.launchRecord(taskId ?? ''),
    queryFn: () => call('tasks:launchRecord', { taskId: taskId ?? '' }),
    enabled: taskId !== undefined,
  });
}

/** Pull progress for a task, filled only by the `pull:progress` topic. */
export function usePullProgress(taskId: string): Readonly<Record<string, PullProgress>> {
  const { data } = useQuery({
    queryKey: queryKeys.pull(taskId),
    queryFn: () => ({}) as Readonly<Record<string, PullProgress>>,
    staleTime: Infinity,
  });
  return data ?? {};
}

/** Merges tasks into the list and detail caches (mutations and push share it). */
export function mergeTasks(qc: ReturnType<typeof useQueryClient>, tasks: readonly TaskDetail[]): void {
  for (const task of tasks) {
    // The detail cache too keeps the newest version (a late mutation response must not undo a push).
    qc.setQueryData<TaskDetail>(queryKeys.task(task.taskId), (known) =>
      known && known.version > task.version ? known : task,
    );
  }
  qc.setQueryData<readonly TaskDetail[]>(queryKeys.tasks, (list) => {
    const byId = new Map((list ?? []).map((t) => [t.taskId, t]));
    for (const task of tasks) {
      const known = byId.get(task.taskId);
      // Keep the newest version (push may overtake a mutation's response).
      if (!known || known.version <= task.version) byId.set(task.taskId, task);
    }
    return [...byId.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  });
}

export function useRunTasks() {
  const { call } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: OperationInput<'tasks:run'>) => call('tasks:run', input),
    onSuccess: (tasks) => mergeTasks(qc, tasks),
  });
}

export function useRerunTask() {
  const { call } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: OperationInput<'tasks:rerun'>) => call('tasks:rerun', input),
    onSuccess: (tasks) => mergeTasks(qc, tasks),
  });
}

export function useStopTask() {
  const { call } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { taskId: string; reason?: string }) => call('tasks:stop', input),
    onSuccess: (task) => mergeTasks(qc, [task]),
  });
}

export function useDockerStatus() {
  const { call } = useApi();
  return useQuery({ queryKey: queryKeys.docker, queryFn: () => call('docker:status', {}) });
}

export function useRetryDocker() {
  const { call } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => call('docker:retry', {}),
    onSuccess: (status) => qc.setQueryData(queryKeys.docker, status),
  });
}

export function useSettings() {
  const { call } = useApi();
  return useQuery({ queryKey: queryKeys.settings, queryFn: () => call('settings:get', {}) });
}

export function useUpdateSettings() {
  const { call } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: OperationInput<'settings:update'>) => call('settings:update', patch),
    onSuccess: (settings: Settings) => {
      qc.setQueryData(queryKeys.settings, settings);
      qc.invalidateQueries({ queryKey: queryKeys.appInfo });
    },
  });
}

/** Orphans of gone Taskdeck processes and damaged data; looked at again every half minute. */
export function useRecoveryStatus() {
  const { call } = useApi();
  return useQuery({
    queryKey: queryKeys.recovery,
    queryFn: () => call('recovery:status', {}),
    refetchInterval: 30_000,
  });
}

/** Removes the orphans (never a live process's objects). */
export function useCleanOrphans() {
  const { call } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => call('recovery:cleanOrphans', {}),
    onSuccess: (result) => qc.setQueryData(queryKeys.recovery, result.status),
  });
}
