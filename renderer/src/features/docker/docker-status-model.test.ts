import { describe, expect, it } from 'vitest';
import type { DockerConnectionStatus } from '../../../../contract/dto.js';
import { appNotices, isOutage, pillView } from './docker-status-model.js';

const connected: DockerConnectionStatus = {
  connected: true,
  endpoint: 'unix:///var/run/docker.sock',
  source: 'default',
  serverVersion: '27.1.0',
};
// A fixed clock: the view must use the status' times, formatted by the given function.
const clock = (iso: string) => `<${iso.slice(11, 19)}>`;

describe('docker status view', () => {
  it('shows Docker lost while connected as unreachable since a time, retrying', () => {
    const status: DockerConnectionStatus = {
      ...connected,
      connected: false,
      unreachableSince: '2026-12-07T03:04:05.000Z',
      error: 'Docker unreachable since 03:04:05, retrying (connect ENOENT /var/run/docker.sock)',
    };
    expect(pillView(status, clock)).toEqual({
      state: 'outage',
      label: 'Docker unreachable since <03:04:05>, retrying',
    });
    expect(isOutage(status)).toBe(true);
    expect(appNotices(status, clock)).toEqual([
      expect.objectContaining({ kind: 'outage', text: 'Docker unreachable since <03:04:05>, retrying.' }),
    ]);
  });

  it('shows a storage failure as a degraded state next to a working connection', () => {
    const status: DockerConnectionStatus = {
      ...connected,
      storageError: 'cannot save task history: disk full',
      storageErrorSince: '2026-12-07T03:10:00.000Z',
    };
    expect(pillView(status, clock)).toEqual({ state: 'connected', label: 'Docker 27.1.0' });
    expect(isOutage(status)).toBe(false);
    expect(appNotices(status, clock)).toEqual([
      expect.objectContaining({
        kind: 'storage',
        text: 'Cannot save task history: disk full (since <03:10:00>).',
      }),
    ]);
  });

  it('keeps the earlier states: connecting, never connected, connected', () => {
    expect(pillView(undefined).state).toBe('connecting');
    expect(pillView({ connected: false, connecting: true, endpoint: '', source: '' }).state).toBe(
      'connecting',
    );
    expect(pillView({ connected: false, endpoint: '', source: '', error: 'x' })).toEqual({
      state: 'disconnected',
      label: 'Docker unreachable',
    });
    expect(isOutage({ connected: false, endpoint: '', source: '', error: 'x' })).toBe(false);
    expect(appNotices(connected)).toEqual([]);
  });
});
