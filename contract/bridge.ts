/**
 * The shape of `window.taskdeck` (Electron preload) — and of the web-mode client, which mimics it.
 */
import type { OperationInvokers } from './operations.js';
import type { TopicListener, TopicName } from './topics.js';

/** Subscribe to a push topic; returns the unsubscribe function. */
export type Subscribe = <T extends TopicName>(topic: T, listener: TopicListener<T>) => () => void;

/** One function per operation plus `subscribe`. */
export type TaskdeckBridge = OperationInvokers & {
  readonly subscribe: Subscribe;
  /** Which transport this bridge speaks. */
  readonly transport: 'ipc' | 'http';
};
