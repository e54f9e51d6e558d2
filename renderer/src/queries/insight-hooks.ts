/**
 * Query hooks for the task's visual-debugging views. Fetched once; kept fresh by push
 * (use-push-updates appends events and invalidates probes/endpoints on `tasks:changed`).
 */
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context.js';
import { queryKeys } from './keys.js';

export function useTaskEvents(taskId: string) {
  const { call } = useApi();
  return useQuery({ queryKey: queryKeys.events(taskId), queryFn: () => call('tasks:events', { taskId }) });
}

export function useHealthProbes(taskId: string) {
  const { call } = useApi();
  return useQuery({
    queryKey: queryKeys.probes(taskId),
    queryFn: () => call('tasks:healthProbes', { taskId }),
  });
}

export function useTaskDefinitionView(taskId: string) {
  const { call } = useApi();
  return useQuery({
    queryKey: queryKeys.taskDefinition(taskId),
    queryFn: () => call('tasks:definition', { taskId }),
  });
}

export function useContainerEndpoints(taskId: string, container: string | undefined) {
  const { call } = useApi();
  return useQuery({
    queryKey: queryKeys.endpoints(taskId, container ?? ''),
    queryFn: () => call('tasks:endpoints', { taskId, container: container ?? '' }),
    enabled: container !== undefined,
  });
}

/** Resource history; re-read whenever the tab opens, then grown by `stats:samples` pushes. */
export function useTaskResources(taskId: string) {
  const { call } = useApi();
  return useQuery({
    queryKey: queryKeys.stats(taskId),
    queryFn: () => call('tasks:stats', { taskId }),
    refetchOnMount: 'always',
  });
}
