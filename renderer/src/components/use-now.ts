/** The current time, re-rendering every second only while `active` (a running task is on screen). */
import { useEffect, useState } from 'react';

export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    // A clock for elapsed-time display, not a data poll: nothing is fetched.
    let timer = setTimeout(function tick() {
      setNow(Date.now());
      timer = setTimeout(tick, 1000);
    }, 1000);
    return () => clearTimeout(timer);
  }, [active]);
  return now;
}
