/** This process as the OS sees it: CPU time used and direct child processes (Linux /proc). */
import { readdir, readFile } from 'node:fs/promises';

/** A direct child of this process. */
export interface ChildProcessInfo {
  readonly pid: number;
  readonly comm: string;
}

/** Parses `/proc/<pid>/stat` into its parent pid and command name (comm may contain spaces and parens). */
export function parseProcStat(stat: string): { ppid: number; comm: string } | undefined {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const rest = stat.slice(close + 2).split(' ');
  const ppid = Number(rest[1]);
  return Number.isFinite(ppid) ? { ppid, comm: stat.slice(open + 1, close) } : undefined;
}

/** Direct children of `pid` (default: this process). */
export async function childProcesses(pid = process.pid): Promise<ChildProcessInfo[]> {
  const out: ChildProcessInfo[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const parsed = parseProcStat(stat);
    if (parsed?.ppid === pid) out.push({ pid: Number(name), comm: parsed.comm });
  }
  return out;
}

/** CPU time (user + system, µs) this process has used so far. */
export function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}
