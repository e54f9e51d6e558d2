/**
 * The clock and timers the load balancer schedules with (health checks, draining), injected so
 * tests can run a group's intervals faster without touching the state machine's rules.
 */

/** An opaque timer handle. */
export type TimerHandle = ReturnType<typeof setTimeout>;

/** Wall clock plus one-shot timers. */
export interface LbTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node's own clock and timers. */
export const realTimers: LbTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle),
};
