/** What the soak benchmark reads about the server process from /proc (Linux). */
import { readdir, readFile } from 'node:fs/promises';

/** VmRSS in bytes from the text of /proc/<pid>/status (undefined when absent). */
export function parseRss(status: string): number | undefined {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** Resident memory of `pid`, in bytes. */
export async function rssOf(pid: number): Promise<number> {
  const rss = parseRss(await readFile(`/proc/${pid}/status`, 'utf8'));
  if (rss === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return rss;
}

/** How many file descriptors `pid` holds open. */
export async function openFds(pid: number): Promise<number> {
  return (await readdir(`/proc/${pid}/fd`)).length;
}
