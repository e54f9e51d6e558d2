import { describe, expect, it } from 'vitest';
import { describeWriteError, StorageHealth } from './storage-health.js';

const errno = (code: string, path?: string) =>
  Object.assign(new Error(code), { code, ...(path ? { path } : {}) });

describe('StorageHealth', () => {
  it('is degraded while any key fails and healthy once every one has succeeded again', () => {
    const h = new StorageHealth(() => new Date('2026-12-07T03:00:00.000Z'));
    const changes: unknown[] = [];
    h.on('change', (s) => changes.push(s));
    h.failed('record:a', errno('ENOSPC'));
    h.failed('logs:b', errno('ENOSPC'));
    expect(h.state()).toEqual({
      ok: false,
      message: 'cannot save task history: disk full',
      since: '2026-12-07T03:00:00.000Z',
    });
    h.succeeded('record:a');
    expect(h.state().ok).toBe(false);
    h.succeeded('logs:b');
    expect(h.state()).toEqual({ ok: true });
    expect(changes).toHaveLength(2);
  });

  it('names the cause the way a user reads it', () => {
    expect(describeWriteError(errno('ENOSPC'))).toBe('disk full');
    expect(describeWriteError(errno('EPERM', '/d/tasks/x/record.json.tmp'))).toBe(
      'permission denied (/d/tasks/x/record.json.tmp)',
    );
    expect(describeWriteError(errno('EROFS'))).toBe('the data folder is on a read-only file system');
  });
});
