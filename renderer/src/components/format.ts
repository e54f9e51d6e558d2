/** Formatting helpers (pure). */

/** "12:03:04" today, else "Mar 3, 12:03". */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return d.toLocaleTimeString([], { hour12: false });
  return d.toLocaleString([], {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

/** "4.2s", "3m 12s", "1h 04m". */
export function formatDuration(ms: number): string {
  if (ms < 0) return '—';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Task duration: started → stopped (or now while running). */
export function taskDuration(
  task: { startedAt?: string; stoppedAt?: string; createdAt: string },
  now: number,
): string {
  const start = task.startedAt ?? task.createdAt;
  const end = task.stoppedAt ? Date.parse(task.stoppedAt) : now;
  // Clocks differ slightly between Docker and this machine: never show a negative duration.
  return formatDuration(Math.max(0, end - Date.parse(start)));
}

/** Short task id for tables. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** Bytes → "1.2 MB". */
export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
