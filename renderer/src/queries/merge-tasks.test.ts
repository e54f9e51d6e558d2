import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import type { TaskDetail } from '../../../contract/dto.js';
import { mergeTasks } from './hooks.js';
import { queryKeys } from './keys.js';

function task(
  taskId: string,
  version: number,
  lastStatus: TaskDetail['lastStatus'],
  createdAt = '2026-01-01T00:00:00.000Z',
): TaskDetail {
  return {
    taskId,
    version,
    lastStatus,
    createdAt,
    desiredStatus: 'STOPPED',
    containers: [],
  } as unknown as TaskDetail;
}

function list(qc: QueryClient): { id: string; status: string; version: number }[] {
  return (qc.getQueryData<readonly TaskDetail[]>(queryKeys.tasks) ?? []).map((t) => ({
    id: t.taskId,
    status: t.lastStatus,
    version: t.version,
  }));
}

describe('mergeTasks', () => {
  it('ends on the newest state when the stop answer arrives after the pushes it preceded', () => {
    const qc = new QueryClient();
    mergeTasks(qc, [task('a', 5, 'RUNNING')]);
    // The pushes of the stop overtake the mutation's response (STOPPING, version 7).
    mergeTasks(qc, [task('a', 8, 'STOPPING')]);
    mergeTasks(qc, [task('a', 9, 'STOPPED')]);
    mergeTasks(qc, [task('a', 7, 'STOPPING')]);
    expect(list(qc)).toEqual([{ id: 'a', status: 'STOPPED', version: 9 }]);
    expect(qc.getQueryData<TaskDetail>(queryKeys.task('a'))?.lastStatus).toBe('STOPPED');
  });

  it('keeps STOPPING from the stop answer when an older RUNNING push arrives after it', () => {
    const qc = new QueryClient();
    mergeTasks(qc, [task('a', 5, 'RUNNING')]);
    // stopTask answers first (version 7); a push of the earlier state (version 6) lands late.
    mergeTasks(qc, [task('a', 7, 'STOPPING')]);
    mergeTasks(qc, [task('a', 6, 'RUNNING')]);
    expect(list(qc)).toEqual([{ id: 'a', status: 'STOPPING', version: 7 }]);
    expect(qc.getQueryData<TaskDetail>(queryKeys.task('a'))?.lastStatus).toBe('STOPPING');
  });

  it('takes a newer version and an equal one (a re-read of the same state)', () => {
    const qc = new QueryClient();
    mergeTasks(qc, [task('a', 7, 'STOPPING')]);
    mergeTasks(qc, [task('a', 9, 'STOPPED')]);
    expect(list(qc)).toEqual([{ id: 'a', status: 'STOPPED', version: 9 }]);
    const reread = { ...task('a', 9, 'STOPPED'), stoppedReason: 'read again' };
    mergeTasks(qc, [reread]);
    expect(qc.getQueryData<TaskDetail>(queryKeys.task('a'))?.stoppedReason).toBe('read again');
    expect(qc.getQueryData<readonly TaskDetail[]>(queryKeys.tasks)?.[0]?.stoppedReason).toBe('read again');
  });

  it('adds unknown tasks, newest first, and leaves the others alone', () => {
    const qc = new QueryClient();
    mergeTasks(qc, [task('old', 3, 'RUNNING', '2026-01-01T00:00:00.000Z')]);
    mergeTasks(qc, [task('new', 1, 'PROVISIONING', '2026-01-02T00:00:00.000Z')]);
    expect(list(qc).map((t) => t.id)).toEqual(['new', 'old']);
    expect(qc.getQueryData<TaskDetail>(queryKeys.task('old'))?.version).toBe(3);
  });
});
