import { randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { deriveEndpointId } from './endpoint-ids.js';

test('ids are UUID-shaped, stable for a key and task, and differ by kind, container, task and key', () => {
  const key = randomBytes(32);
  const task = '0123456789abcdef0123456789abcdef';
  const cred = deriveEndpointId(key, task, { kind: 'credentials' });
  expect(cred).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(deriveEndpointId(key, task, { kind: 'credentials' })).toBe(cred);
  const ids = new Set([
    cred,
    deriveEndpointId(key, task, { kind: 'metadata', container: 'app' }),
    deriveEndpointId(key, task, { kind: 'metadata', container: 'db' }),
    deriveEndpointId(key, 'ffffffffffffffffffffffffffffffff', { kind: 'credentials' }),
    deriveEndpointId(randomBytes(32), task, { kind: 'credentials' }),
  ]);
  expect(ids.size).toBe(5);
});
