/**
 * The connection an operation arrived on (an Electron window, a web-mode WebSocket). Transports
 * build one per connection; connection-bound operations (exec sessions) use it to deliver pushes
 * to that connection alone and to clean up when it goes away. Types only.
 */
import type { TopicName, TopicPayloads } from './topics.js';

export interface CallerContext {
  /** Unique per connection for the life of the process. */
  readonly connectionId: string;
  /** Sends one topic message to this connection only. */
  push<T extends TopicName>(topic: T, payload: TopicPayloads[T]): void;
  /** Calls `listener` once when the connection closes; returns the unregister function. */
  onDisconnect(listener: () => void): () => void;
}
