/**
 * Wall-clock milliseconds with sub-millisecond resolution, comparable with Docker's event
 * `timeNano` (both are the host's realtime clock; the daemon runs on this machine).
 */
import { performance } from 'node:perf_hooks';

/** Epoch milliseconds (fractional). */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** How far `nowMs()` has drifted from `Date.now()` (ms); checked at the end of a run. */
export function clockDriftMs(): number {
  return nowMs() - Date.now();
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
