/**
 * The app's view of issue 11's recovery: orphans of Taskdeck processes that are gone (found and
 * removed as `taskdeck gc` does) and the damaged data the readers reported.
 */
import type Docker from '../docker/docker-client.js';
import type { OrphanCleanupResult, RecoveryStatus } from '../../contract/dto.js';
import { describeOrphans, findOrphans, removeOrphans, type OrphanReport } from '../engine/orphans.js';
import { dataWarnings } from '../store/data-warnings.js';

/** Status and clean-up for the recovery operations. */
export interface RecoveryService {
  status(): Promise<RecoveryStatus>;
  cleanOrphans(): Promise<OrphanCleanupResult>;
}

/** `docker()` is the current client, undefined while Docker is not connected. */
export function createRecoveryService(docker: () => Docker | undefined): RecoveryService {
  const toStatus = (report: OrphanReport | undefined): RecoveryStatus => {
    const count = (kind: string) => report?.objects.filter((o) => o.kind === kind).length ?? 0;
    return {
      orphans: {
        containers: count('container'),
        networks: count('network'),
        volumes: count('volume'),
        tempDataDirs: report?.tempDataDirs.length ?? 0,
      },
      orphanSummary: report ? describeOrphans(report) : '',
      dataWarnings: dataWarnings().map((w) => ({ time: w.time, message: w.message })),
      ...(report ? {} : { dockerUnavailable: true }),
    };
  };
  const find = async (): Promise<[Docker | undefined, OrphanReport | undefined]> => {
    const client = docker();
    return [client, client ? await findOrphans(client) : undefined];
  };
  return {
    async status() {
      const [, report] = await find();
      return toStatus(report);
    },
    async cleanOrphans() {
      const [client, report] = await find();
      if (!client || !report)
        return { removed: 0, errors: ['Docker is not connected'], status: toStatus(undefined) };
      const done = await removeOrphans(client, report);
      const [, after] = await find();
      return {
        removed: done.removed.length + done.removedDirs.length,
        errors: done.errors,
        status: toStatus(after),
      };
    },
  };
}
