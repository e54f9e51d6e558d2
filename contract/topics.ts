/**
 * Push topics: what main sends to every renderer without being asked. Payloads are plain JSON.
 * No runtime dependency (the preload imports this file).
 */
import type {
  DockerConnectionStatus,
  ExecOutput,
  HealthProbe,
  LogLine,
  PullProgress,
  ResourceSamples,
  TaskDetail,
  TaskStateChangeEvent,
} from './dto.js';
import type { ServiceView } from './service-dto.js';

/** Topic name → payload. */
export interface TopicPayloads {
  /** One ECS Task State Change and the task as it is after it. */
  readonly 'tasks:changed': { readonly event: TaskStateChangeEvent; readonly task: TaskDetail };
  /** New log lines, batched (a few frames' worth per message). */
  readonly 'logs:lines': readonly LogLine[];
  /** Image pull progress, batched; only the latest line per layer within a batch. */
  readonly 'pull:progress': readonly PullProgress[];
  /** New health-check probes of one container, as Docker runs them (the health timeline grows live). */
  readonly 'health:probes': {
    readonly taskId: string;
    readonly container: string;
    readonly probes: readonly HealthProbe[];
  };
  /** The Docker connection changed (connected, lost, retried). */
  readonly 'docker:status': DockerConnectionStatus;
  /** New resource samples, batched (about one message a second, only while someone listens). */
  readonly 'stats:samples': readonly ResourceSamples[];
  /** Output of an exec session; pushed only to the connection that started it. */
  readonly 'exec:output': ExecOutput;
  /** A service changed (counts, deployments, events, targets, health checks); INACTIVE once deleted. */
  readonly 'services:changed': ServiceView;
}

export type TopicName = keyof TopicPayloads;

/** Every topic name (a mapped check below keeps it complete). */
export const TOPIC_NAMES = [
  'tasks:changed',
  'logs:lines',
  'pull:progress',
  'health:probes',
  'docker:status',
  'stats:samples',
  'exec:output',
  'services:changed',
] as const;

// Compile-time: TOPIC_NAMES lists every topic and nothing else.
type _MissingTopic = Exclude<TopicName, (typeof TOPIC_NAMES)[number]>;
type _ExtraTopic = Exclude<(typeof TOPIC_NAMES)[number], TopicName>;
const _topicsComplete: [_MissingTopic, _ExtraTopic] extends [never, never] ? true : false = true;
void _topicsComplete;

/** Whether `name` is a known topic. */
export function isTopicName(name: string): name is TopicName {
  return (TOPIC_NAMES as readonly string[]).includes(name);
}

/** One pushed message as it crosses a transport. */
export type TopicMessage = {
  [T in TopicName]: { readonly topic: T; readonly payload: TopicPayloads[T] };
}[TopicName];

/** A subscriber callback for one topic. */
export type TopicListener<T extends TopicName> = (payload: TopicPayloads[T]) => void;

/** Electron IPC channel carrying one topic (shared by preload and main/ipc). */
export function topicChannel(topic: TopicName): string {
  return `taskdeck:topic:${topic}`;
}
