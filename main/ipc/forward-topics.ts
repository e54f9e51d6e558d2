/**
 * Pushes every topic to the app's windows via webContents.send. Logs and pull progress arrive
 * already batched from the TopicBus (one message per ~50 ms window, never one per line).
 */
import type { WebContents } from 'electron';
import { TOPIC_NAMES, topicChannel } from '../../contract/topics.js';
import type { TopicBus } from '../services/topic-bus.js';

/** Forwards bus topics to `targets()`; returns the unsubscribe function. */
export function forwardTopics(bus: TopicBus, targets: () => readonly WebContents[]): () => void {
  const offs = TOPIC_NAMES.map((topic) =>
    bus.subscribe(topic, (payload) => {
      for (const wc of targets()) {
        if (!wc.isDestroyed()) wc.send(topicChannel(topic), payload);
      }
    }),
  );
  return () => offs.forEach((off) => off());
}
