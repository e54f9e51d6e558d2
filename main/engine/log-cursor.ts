/**
 * Where a container's stored log ends, and how to read on from there exactly once. Docker stamps
 * every line with a nanosecond time and `since` returns lines at or after a time, so a re-read from
 * the last stored time returns the lines stored at that very time again: the cursor keeps how many
 * there were, and a boundary filter drops exactly those (and anything older).
 */
import { sortableTime } from './runtime-helpers.js';

/** The newest stored time of one container (sortable form) and how many stored lines carry it. */
export interface LogCursor {
  readonly time: string;
  readonly count: number;
}

/** The cursor after one more line with time `time` (any form). */
export function advanceCursor(cursor: LogCursor | undefined, time: string): LogCursor {
  const t = sortableTime(time);
  if (!cursor || t > cursor.time) return { time: t, count: 1 };
  if (t === cursor.time) return { time: t, count: cursor.count + 1 };
  return cursor;
}

/**
 * Docker's `since` for a cursor: `<unix seconds>.<nanoseconds>` (the API takes fractional seconds;
 * a string keeps all nine digits). Undefined when the time is not an RFC 3339 UTC time.
 */
export function sinceOf(cursor: LogCursor | undefined): string | undefined {
  if (!cursor) return undefined;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{9})Z$/.exec(cursor.time);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}Z`) / 1000;
  return Number.isFinite(seconds) ? `${seconds}.${m[2]}` : undefined;
}

/**
 * A filter for one read that starts at `cursor` (`since` = its time): lines older than the cursor
 * and the first `count` lines at its time were stored already; everything after is new.
 */
export function boundaryFilter(cursor: LogCursor | undefined): (time: string) => boolean {
  if (!cursor) return () => true;
  let skip = cursor.count;
  let past = false;
  return (time) => {
    if (past) return true;
    const t = sortableTime(time);
    if (t < cursor.time) return false;
    if (t === cursor.time && skip > 0) {
      skip--;
      return false;
    }
    past = true;
    return true;
  };
}
