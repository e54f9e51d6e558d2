import { describe, expect, it } from 'vitest';
import { ApiCallError, ApiFailure, toApiError, unwrapResult } from './errors.js';
import { OPERATION_NAMES, isOperationName } from './operation-names.js';
import { operations } from './operations.js';
import { TOPIC_NAMES, isTopicName } from './topics.js';
import { formatIssuePath, parseOperationInput } from './validate.js';

describe('contract', () => {
  it('defines a schema for every listed operation and nothing else', () => {
    expect(Object.keys(operations).sort()).toEqual([...OPERATION_NAMES].sort());
    expect(isOperationName('tasks:run')).toBe(true);
    expect(isOperationName('constructor')).toBe(false);
  });

  it('lists the push topics', () => {
    expect([...TOPIC_NAMES].sort()).toEqual([
      'docker:status',
      'exec:output',
      'health:probes',
      'logs:lines',
      'pull:progress',
      'services:changed',
      'stats:samples',
      'tasks:changed',
    ]);
    expect(isTopicName('logs:lines')).toBe(true);
    expect(isTopicName('nope')).toBe(false);
  });

  it('formats issue paths the way the definition validator does', () => {
    expect(formatIssuePath(['overrides', 'containerOverrides', 0, 'memory'])).toBe(
      'overrides.containerOverrides[0].memory',
    );
    expect(formatIssuePath([])).toBe('');
  });

  it('applies defaults and rejects bad input with the path', () => {
    expect(parseOperationInput('tasks:run', { definitionId: 'def-1' })).toEqual({
      ok: true,
      params: { definitionId: 'def-1', count: 1 },
    });
    const bad = parseOperationInput('tasks:logs', { taskId: 't', limit: 0 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST', path: 'limit' } });
    // Missing input counts as {}.
    expect(parseOperationInput('tasks:list', undefined)).toEqual({ ok: true, params: {} });
  });

  it('turns envelopes back into errors and errors into envelopes', () => {
    expect(unwrapResult({ ok: true, value: 3 })).toBe(3);
    try {
      unwrapResult({ ok: false, error: { code: 'NOT_FOUND', message: 'gone', path: 'id' } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiCallError);
      expect(err).toMatchObject({ code: 'NOT_FOUND', message: 'gone', path: 'id' });
    }
    expect(toApiError(new ApiFailure('NOT_FOUND', 'x', { path: 'id' }))).toEqual({
      code: 'NOT_FOUND',
      message: 'x',
      path: 'id',
    });
    expect(toApiError(new Error('boom'))).toEqual({ code: 'INTERNAL', message: 'boom' });
  });
});
