/**
 * The in-process push bus every transport subscribes to. High-rate topics (logs, pull progress) are
 * batched here, once, so no transport ever sends one message per log line.
 */
import type { LogLine, PullProgress, ResourceSample, ResourceSamples } from '../../contract/dto.js';
import type { TopicListener, TopicName, TopicPayloads } from '../../contract/topics.js';

/** Publish/subscribe over the contract's topics. */
export interface TopicBus {
  publish<T extends TopicName>(topic: T, payload: TopicPayloads[T]): void;
  subscribe<T extends TopicName>(topic: T, listener: TopicListener<T>): () => void;
  /** Queue log lines; flushed as one `logs:lines` message per batch window. */
  queueLogs(lines: readonly LogLine[]): void;
  /** Queue pull progress; flushed as one `pull:progress` message (latest per layer). */
  queuePull(progress: PullProgress): void;
  /**
   * Queue one resource sample; flushed as one `stats:samples` message per stats window. Dropped
   * at once when nobody listens to that topic (no window, no web client): charts fetch the
   * history when they open.
   */
  queueStats(taskId: string, container: string, sample: ResourceSample): void;
  /** Flush pending batches now (shutdown, tests). */
  flush(): void;
}

/** Stats window: Docker sends one sample a second per container, so one message a second in all. */
export const STATS_WINDOW_MS = 1000;

/** Default batch window: a few frames. */
export const BATCH_WINDOW_MS = 50;

/**
 * Most lines in one `logs:lines` message. A flood (tens of thousands of lines in one window) is
 * sent as several messages, so a renderer parses each in its own short task instead of one long
 * one that would freeze a frame.
 */
export const MAX_LOG_BATCH = 2000;

/** Creates a bus; `windowMs` is the batching window for logs and pull progress. */
export function createTopicBus(
  windowMs: number = BATCH_WINDOW_MS,
  statsWindowMs: number = STATS_WINDOW_MS,
): TopicBus {
  const listeners = new Map<TopicName, Set<(payload: never) => void>>();
  let logs: LogLine[] = [];
  let pulls = new Map<string, PullProgress>();
  let stats = new Map<string, { taskId: string; container: string; samples: ResourceSample[] }>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let statsTimer: ReturnType<typeof setTimeout> | undefined;

  const publish = <T extends TopicName>(topic: T, payload: TopicPayloads[T]): void => {
    const set = listeners.get(topic);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as TopicListener<T>)(payload);
      } catch (err) {
        console.error(`[taskdeck] ${topic} listener failed:`, err);
      }
    }
  };

  const flushStats = (): void => {
    if (statsTimer !== undefined) clearTimeout(statsTimer);
    statsTimer = undefined;
    if (stats.size === 0) return;
    const batch: ResourceSamples[] = [...stats.values()];
    stats = new Map();
    publish('stats:samples', batch);
  };

  const flush = (): void => {
    flushStats();
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (logs.length > 0) {
      const all = logs;
      logs = [];
      for (let i = 0; i < all.length; i += MAX_LOG_BATCH)
        publish('logs:lines', all.slice(i, i + MAX_LOG_BATCH));
    }
    if (pulls.size > 0) {
      const batch = [...pulls.values()];
      pulls = new Map();
      publish('pull:progress', batch);
    }
  };

  const schedule = (): void => {
    if (timer === undefined) timer = setTimeout(flush, windowMs);
  };

  return {
    publish,
    subscribe(topic, listener) {
      let set = listeners.get(topic);
      if (!set) {
        set = new Set();
        listeners.set(topic, set);
      }
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
    queueLogs(lines) {
      if (lines.length === 0) return;
      logs.push(...lines);
      schedule();
    },
    queueStats(taskId, container, sample) {
      if (!listeners.get('stats:samples')?.size) return;
      const key = `${taskId}\0${container}`;
      const entry = stats.get(key);
      if (entry) entry.samples.push(sample);
      else stats.set(key, { taskId, container, samples: [sample] });
      statsTimer ??= setTimeout(flushStats, statsWindowMs);
    },
    queuePull(progress) {
      pulls.set(`${progress.taskId}\0${progress.container}\0${progress.layer}`, progress);
      schedule();
    },
    flush,
  };
}
