/**
 * Which Taskdeck process owns a Docker object, and whether that process is still alive.
 *
 * Every object an engine creates carries owner labels: pid, start time, host name, kind and data
 * dir. The start time is the kernel's boot id plus the process start ticks from /proc/<pid>/stat,
 * so a pid reused by another process (or after a reboot) is not mistaken for the owner. A process
 * on another host (a shared daemon, Taskdeck in a container) cannot be checked: it is `unknown`
 * and its objects are never touched.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import {
  LABEL_DATA_DIR,
  LABEL_DATA_DIR_TEMP,
  LABEL_OWNER_HOST,
  LABEL_OWNER_KIND,
  LABEL_OWNER_PID,
  LABEL_OWNER_START,
} from './labels.js';

/** What kind of Taskdeck process owns an engine. */
export type OwnerKind = 'run' | 'app' | 'web';

/** A process, as its labels name it. */
export interface ProcessIdentity {
  readonly pid: number;
  /** `<boot id>:<start ticks>`, or `unknown` where /proc is not available. */
  readonly startTime: string;
  readonly host: string;
}

/** How the liveness check looks at this machine (injected by unit tests). */
export interface ProcessProbe {
  hostname(): string;
  /** The process's start time as `ProcessIdentity.startTime`; undefined when no such process. */
  startTimeOf(pid: number): string | undefined;
}

/** `alive`: the owner runs; `gone`: it ended (or its pid now belongs to another process); `unknown`: cannot tell. */
export type Liveness = 'alive' | 'gone' | 'unknown';

let bootId: string | undefined;
function readBootId(): string {
  try {
    bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    bootId = 'noboot';
  }
  return bootId;
}

/** Start ticks from a /proc/<pid>/stat line (field 22; the command name may hold spaces and parens). */
export function startTicksOf(stat: string): string | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After ")": field 3 (state) is index 0, so field 22 is index 19.
  const ticks = fields[19];
  return ticks && /^\d+$/.test(ticks) ? ticks : undefined;
}

/** The real machine: /proc on Linux, `kill(pid, 0)` elsewhere (no reuse check there). */
export const SYSTEM_PROBE: ProcessProbe = {
  hostname: () => hostname(),
  startTimeOf(pid) {
    try {
      const ticks = startTicksOf(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      return ticks ? `${readBootId()}:${ticks}` : 'unknown';
    } catch (err) {
      if (process.platform === 'linux' && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    }
    try {
      process.kill(pid, 0);
      return 'unknown';
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM' ? 'unknown' : undefined;
    }
  },
};

/** This process. */
export function currentProcess(probe: ProcessProbe = SYSTEM_PROBE): ProcessIdentity {
  return {
    pid: process.pid,
    startTime: probe.startTimeOf(process.pid) ?? 'unknown',
    host: probe.hostname(),
  };
}

/** Whether the process `owner` names still runs. */
export function livenessOf(owner: ProcessIdentity, probe: ProcessProbe = SYSTEM_PROBE): Liveness {
  if (owner.host !== probe.hostname()) return 'unknown';
  const now = probe.startTimeOf(owner.pid);
  if (now === undefined) return 'gone';
  // Without start times on both sides a live pid cannot be told from a reused one: assume alive.
  if (now === 'unknown' || owner.startTime === 'unknown') return 'alive';
  return now === owner.startTime ? 'alive' : 'gone';
}

/** The owner labels an engine puts on everything it creates. */
export function ownerLabels(
  owner: ProcessIdentity,
  kind: OwnerKind,
  dataDir: string,
  tempDataDir = false,
): Record<string, string> {
  return {
    [LABEL_OWNER_PID]: String(owner.pid),
    [LABEL_OWNER_START]: owner.startTime,
    [LABEL_OWNER_HOST]: owner.host,
    [LABEL_OWNER_KIND]: kind,
    [LABEL_DATA_DIR]: dataDir,
    ...(tempDataDir ? { [LABEL_DATA_DIR_TEMP]: 'true' } : {}),
  };
}

/** The owner a set of labels names; undefined for objects made before owner labels existed. */
export function ownerOf(labels: Readonly<Record<string, string>> | undefined): ProcessIdentity | undefined {
  const pid = Number(labels?.[LABEL_OWNER_PID]);
  const startTime = labels?.[LABEL_OWNER_START];
  const host = labels?.[LABEL_OWNER_HOST];
  if (!Number.isInteger(pid) || pid <= 0 || !startTime || !host) return undefined;
  return { pid, startTime, host };
}
