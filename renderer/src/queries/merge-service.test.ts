import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { ServiceView } from '../../../contract/service-dto.js';
import { service } from '../features/services/service-view-fixtures.js';
import { mergeService, serviceKeys } from './service-hooks.js';

const names = (qc: QueryClient) =>
  (qc.getQueryData<readonly ServiceView[]>(serviceKeys.services) ?? []).map(
    (s) => `${s.serviceName}@${s.version}`,
  );

describe('mergeService', () => {
  it('adds, replaces in place, and drops a deleted service from the list', () => {
    const qc = new QueryClient();
    qc.setQueryData(serviceKeys.services, [service({ serviceName: 'a' }), service({ serviceName: 'b' })]);
    mergeService(qc, service({ serviceName: 'c' }));
    mergeService(qc, service({ serviceName: 'b', version: 2 }));
    expect(names(qc)).toEqual(['c@1', 'a@1', 'b@2']);
    mergeService(qc, service({ serviceName: 'a', version: 3, status: 'INACTIVE' }));
    expect(names(qc)).toEqual(['c@1', 'b@2']);
    expect(qc.getQueryData<ServiceView>(serviceKeys.service('a'))?.status).toBe('INACTIVE');
  });

  it('keeps a newer version over a late, older answer; a re-created service replaces the old one', () => {
    const qc = new QueryClient();
    qc.setQueryData(serviceKeys.services, []);
    mergeService(qc, service({ serviceName: 'a', version: 5, desiredCount: 2 }));
    mergeService(qc, service({ serviceName: 'a', version: 4, desiredCount: 1 }));
    expect(qc.getQueryData<ServiceView>(serviceKeys.service('a'))?.desiredCount).toBe(2);
    mergeService(qc, service({ serviceName: 'a', version: 1, createdAt: '2026-02-01T00:00:00.000Z' }));
    expect(qc.getQueryData<ServiceView>(serviceKeys.service('a'))?.version).toBe(1);
    expect(names(qc)).toEqual(['a@1']);
  });
});
