/**
 * Endpoint ids (the opaque part of `/v2/credentials/<id>` and `/v3|v4/<id>`) derived from a
 * secret key and the task: the same task gets the same ids after a restart (its containers keep
 * the URIs they were created with), yet no id is ever written into a task record. The key lives
 * in `<dataDir>/endpoint-key` (0600); without it an id cannot be computed from the public task id.
 */
import { createHmac } from 'node:crypto';

/** What an id is for (part of the HMAC input, so ids of different kinds never collide). */
export type EndpointIdKind =
  { readonly kind: 'credentials' } | { readonly kind: 'metadata'; readonly container: string };

/** A UUID-shaped id (as the ECS agent hands out) from HMAC-SHA256(key, kind, task, container). */
export function deriveEndpointId(key: Buffer, taskId: string, what: EndpointIdKind): string {
  const input =
    what.kind === 'credentials' ? `credentials\0${taskId}` : `metadata\0${taskId}\0${what.container}`;
  const hex = createHmac('sha256', key).update(input).digest('hex');
  // Version-4 layout so SDKs and tools that sniff UUIDs accept it.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
