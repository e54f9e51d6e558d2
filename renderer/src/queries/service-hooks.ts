/**
 * ECS services queries (issue 13). Fetched once; kept fresh by `services:changed` pushes
 * (useServicePushUpdates), never by polling.
 */
import { useEffect } from 'react';
import { useMutation, useQueries, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { ServiceView } from '../../../contract/service-dto.js';
import type { OperationInput } from '../../../contract/operations.js';
import { useApi } from '../api/api-context.js';
import { queryKeys } from './keys.js';

export const serviceKeys = {
  services: ['services'] as const,
  service: (name: string) => ['service', name] as const,
};

/**
 * Puts one service into the list and its detail (unless an older version of the same service);
 * an INACTIVE (deleted) one leaves the list.
 */
export function mergeService(qc: QueryClient, service: ServiceView): void {
  // A mutation's answer can arrive after a newer push of the same service: keep the newer one.
  const known = qc.getQueryData<ServiceView>(serviceKeys.service(service.serviceName));
  if (known && known.createdAt === service.createdAt && known.version > service.version) return;
  qc.setQueryData(serviceKeys.service(service.serviceName), service);
  qc.setQueryData<readonly ServiceView[]>(serviceKeys.services, (list) => {
    if (list === undefined) return list;
    const rest = list.filter((s) => s.serviceName !== service.serviceName);
    if (service.status === 'INACTIVE') return rest;
    const at = list.findIndex((s) => s.serviceName === service.serviceName);
    if (at < 0) return [service, ...rest];
    const next = [...list];
    next[at] = service;
    return next;
  });
}

export function useServices() {
  const { call } = useApi();
  return useQuery({ queryKey: serviceKeys.services, queryFn: () => call('services:list', {}) });
}

export function useService(serviceName: string) {
  const { call } = useApi();
  return useQuery({
    queryKey: serviceKeys.service(serviceName),
    queryFn: () => call('services:get', { serviceName }),
    retry: false,
  });
}

export function useCreateService() {
  const { call } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: OperationInput<'services:create'>) => call('services:create', input),
    onSuccess: (service) => mergeService(qc, service),
  });
}

export function useUpdateService() {
  const { call } = useApi();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: OperationInput<'services:update'>) => call('services:update', input),
    onSuccess: (service) => mergeService(qc, service),
  });
}

export function useDeleteService() {
  const { call } = useApi();
  return useMutation({
    mutationFn: (serviceName: string) => call('services:delete', { serviceName }),
  });
}

/** Full library entries (with revision) of the given ids, for the "update to revision" picker. */
export function useDefinitionDetails(ids: readonly string[]) {
  const { call } = useApi();
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: queryKeys.definition(id),
      queryFn: () => call('definitions:get', { id }),
    })),
  });
}

/** Subscribes to `services:changed` and refetches on a Docker (re)connect (mounted once, in the app shell). */
export function useServicePushUpdates(): void {
  const { bridge } = useApi();
  const qc = useQueryClient();
  useEffect(() => {
    const offs = [
      bridge.subscribe('services:changed', (service) => mergeService(qc, service)),
      // A (re)connected Docker brings its service manager, which re-adopts the services.
      bridge.subscribe('docker:status', (status) => {
        if (status.connected) qc.invalidateQueries({ queryKey: serviceKeys.services }).catch(() => undefined);
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [bridge, qc]);
}
