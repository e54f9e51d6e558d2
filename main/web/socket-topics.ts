/**
 * What one WebSocket asked to be pushed (pure): the `topics` and `logsOf` query parameters of its
 * upgrade request (see contract/web-session.ts), checked, with an error naming the bad parameter.
 */
import { isTopicName, TOPIC_NAMES, type TopicName } from '../../contract/topics.js';
import { PACKED_LOG_FORMAT, WEB_SOCKET_LOG_FORMAT_PARAM } from '../../contract/log-wire.js';
import { WEB_SOCKET_LOGS_OF_PARAM, WEB_SOCKET_TOPICS_PARAM } from '../../contract/web-session.js';

export interface SocketTopics {
  readonly topics: readonly TopicName[];
  /** Only this task's log lines (undefined: every task's). */
  readonly logsOf: string | undefined;
  /** `logFormat=packed`: log lines go out packed (contract/log-wire.ts); absent means plain. */
  readonly packed?: true;
}

/** Task ids are hex (32 characters today); a bound keeps junk out of every comparison. */
const TASK_ID = /^[0-9a-f]{1,64}$/;

/** Parses the upgrade target's query; `{ error }` when a parameter is malformed. */
export function parseSocketTopics(target: string): SocketTopics | { error: string } {
  let query: URLSearchParams;
  try {
    query = new URL(`http://127.0.0.1${target.startsWith('/') ? target : `/${target}`}`).searchParams;
  } catch {
    return { error: 'malformed request target' };
  }
  const listed = query.get(WEB_SOCKET_TOPICS_PARAM);
  let topics: readonly TopicName[] = TOPIC_NAMES;
  if (listed !== null) {
    const names = listed.split(',').filter((n) => n !== '');
    const unknown = names.find((n) => !isTopicName(n));
    if (unknown !== undefined)
      return { error: `${WEB_SOCKET_TOPICS_PARAM}: unknown topic ${JSON.stringify(unknown.slice(0, 40))}` };
    topics = [...new Set(names as TopicName[])];
  }
  const logsOf = query.get(WEB_SOCKET_LOGS_OF_PARAM) ?? undefined;
  if (logsOf !== undefined && !TASK_ID.test(logsOf))
    return { error: `${WEB_SOCKET_LOGS_OF_PARAM}: not a task id` };
  const format = query.get(WEB_SOCKET_LOG_FORMAT_PARAM);
  if (format !== null && format !== PACKED_LOG_FORMAT)
    return { error: `${WEB_SOCKET_LOG_FORMAT_PARAM}: expected "${PACKED_LOG_FORMAT}"` };
  return format === PACKED_LOG_FORMAT ? { topics, logsOf, packed: true } : { topics, logsOf };
}
