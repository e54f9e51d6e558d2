/**
 * Orphans: Docker objects (containers, networks, volumes) and `taskdeck run` temporary data dirs
 * whose Taskdeck owner process is gone. Found by owner labels (owner.ts), never by name:
 *  - an object whose owner is alive, or on another host, or that has no owner labels (made by an
 *    older Taskdeck) is never an orphan;
 *  - an object whose owner is gone is still not an orphan while a live app/`web` holds its data dir
 *    (owner.json with `adopts`): that process re-adopted the task;
 *  - a temp data dir is removed only when its own owner.json names a process that is gone and its
 *    name is a `taskdeck run` temp dir (`taskdeck-run-*`).
 */
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type Docker from '../docker/docker-client.js';
import { readDataDirOwner } from '../store/data-dir-owner.js';
import {
  ECS_LABEL_CONTAINER_NAME,
  LABEL_DATA_DIR,
  LABEL_DATA_DIR_TEMP,
  LABEL_MANAGED,
  LABEL_OWNER_KIND,
  LABEL_ROLE,
  LABEL_TASK_ID,
} from './labels.js';
import { livenessOf, ownerOf, SYSTEM_PROBE, type Liveness, type ProcessProbe } from './owner.js';

/** One orphaned Docker object. */
export interface OrphanObject {
  readonly kind: 'container' | 'network' | 'volume';
  /** Container/network id, volume name. */
  readonly id: string;
  readonly name: string;
  readonly taskId?: string;
  readonly role?: string;
  readonly containerName?: string;
  readonly dataDir?: string;
  readonly ownerPid: number;
  readonly ownerKind?: string;
}

/** Everything orphaned. */
export interface OrphanReport {
  readonly objects: readonly OrphanObject[];
  /** Temporary data dirs of `taskdeck run` processes that are gone. */
  readonly tempDataDirs: readonly string[];
}

export interface FindOrphansOptions {
  readonly probe?: ProcessProbe;
  /** Only orphans whose data-dir label is this folder (and this temp dir). */
  readonly dataDir?: string;
  /** Where `taskdeck run` makes temp data dirs (default: the OS temp folder). */
  readonly tmpRoot?: string;
}

const TEMP_PREFIX = 'taskdeck-run-';

/** Finds every orphan on the daemon (and leaked temp data dirs on this machine). */
export async function findOrphans(docker: Docker, o: FindOrphansOptions = {}): Promise<OrphanReport> {
  const probe = o.probe ?? SYSTEM_PROBE;
  const holders = new Map<string, Promise<boolean>>();
  /** Whether a live app/web holds the data dir (and so re-adopts its tasks). */
  const heldByAdopter = (dir: string): Promise<boolean> => {
    let held = holders.get(dir);
    if (!held) {
      held = readDataDirOwner(dir).then((h) => !!h && h.adopts && livenessOf(h, probe) !== 'gone');
      holders.set(dir, held);
    }
    return held;
  };
  const isOrphan = async (labels: Readonly<Record<string, string>> | undefined): Promise<boolean> => {
    const owner = ownerOf(labels);
    if (!owner) return false;
    const live: Liveness = livenessOf(owner, probe);
    if (live !== 'gone') return false;
    const dir = labels?.[LABEL_DATA_DIR];
    if (o.dataDir !== undefined && dir !== o.dataDir) return false;
    return !(dir && (await heldByAdopter(dir)));
  };
  const filters = { label: [`${LABEL_MANAGED}=true`] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  const objects: OrphanObject[] = [];
  const tempDirs = new Set<string>();
  const add = (kind: OrphanObject['kind'], id: string, name: string, labels: Record<string, string>) => {
    const dir = labels[LABEL_DATA_DIR];
    objects.push({
      kind,
      id,
      name,
      ownerPid: ownerOf(labels)!.pid,
      ...optional('taskId', labels[LABEL_TASK_ID]),
      ...optional('role', labels[LABEL_ROLE]),
      ...optional('containerName', labels[ECS_LABEL_CONTAINER_NAME]),
      ...optional('dataDir', dir),
      ...optional('ownerKind', labels[LABEL_OWNER_KIND]),
    });
    if (dir && labels[LABEL_DATA_DIR_TEMP] === 'true') tempDirs.add(dir);
  };
  for (const c of containers)
    if (await isOrphan(c.Labels)) add('container', c.Id, (c.Names[0] ?? c.Id).replace(/^\//, ''), c.Labels);
  for (const n of networks) if (await isOrphan(n.Labels)) add('network', n.Id, n.Name, n.Labels ?? {});
  for (const v of volumes.Volumes ?? [])
    if (await isOrphan(v.Labels ?? undefined)) add('volume', v.Name, v.Name, v.Labels ?? {});

  // Temp dirs that lost every object (killed before creating any, or after a gc of the objects).
  const root = o.tmpRoot ?? tmpdir();
  const names = await readdir(root).catch(() => [] as string[]);
  for (const n of names) if (n.startsWith(TEMP_PREFIX)) tempDirs.add(join(root, n));
  const tempDataDirs: string[] = [];
  for (const dir of [...tempDirs].sort()) {
    if (o.dataDir !== undefined && dir !== o.dataDir) continue;
    if (!basename(dir).startsWith(TEMP_PREFIX)) continue;
    const holder = await readDataDirOwner(dir);
    if (holder && holder.kind === 'run' && livenessOf(holder, probe) === 'gone') tempDataDirs.push(dir);
  }
  return { objects, tempDataDirs };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}

/** What a clean-up removed and what it could not. */
export interface OrphanCleanup {
  readonly removed: readonly OrphanObject[];
  readonly removedDirs: readonly string[];
  readonly errors: readonly string[];
}

/** Removes the orphans of `report`: containers first (they hold networks and volumes), then the rest. */
export async function removeOrphans(docker: Docker, report: OrphanReport): Promise<OrphanCleanup> {
  const removed: OrphanObject[] = [];
  const removedDirs: string[] = [];
  const errors: string[] = [];
  const gone = (err: unknown) => (err as { statusCode?: number }).statusCode === 404;
  const attempt = async (obj: OrphanObject, remove: () => Promise<unknown>) => {
    try {
      await remove();
      removed.push(obj);
    } catch (err) {
      if (gone(err)) removed.push(obj);
      else errors.push(`${obj.kind} ${obj.name}: ${(err as Error).message}`);
    }
  };
  const of = (kind: OrphanObject['kind']) => report.objects.filter((x) => x.kind === kind);
  await Promise.all(
    of('container').map((c) => attempt(c, () => docker.getContainer(c.id).remove({ force: true, v: true }))),
  );
  for (const n of of('network')) await attempt(n, () => docker.getNetwork(n.id).remove());
  for (const v of of('volume')) await attempt(v, () => docker.getVolume(v.id).remove());
  for (const dir of report.tempDataDirs) {
    try {
      await rm(dir, { recursive: true, force: true });
      removedDirs.push(dir);
    } catch (err) {
      errors.push(`data dir ${dir}: ${(err as Error).message}`);
    }
  }
  return { removed, removedDirs, errors };
}

/** One line for a terminal or banner: "2 containers, 1 network from Taskdeck processes that are gone". */
export function describeOrphans(report: OrphanReport): string {
  const count = (kind: OrphanObject['kind']) => report.objects.filter((x) => x.kind === kind).length;
  const parts = [
    plural(count('container'), 'container'),
    plural(count('network'), 'network'),
    plural(count('volume'), 'volume'),
    plural(report.tempDataDirs.length, 'temporary data dir'),
  ].filter((s): s is string => s !== undefined);
  return parts.join(', ');
}

function plural(n: number, what: string): string | undefined {
  return n === 0 ? undefined : `${n} ${what}${n === 1 ? '' : 's'}`;
}
