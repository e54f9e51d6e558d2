/** What the recovery banner says (pure: unit-tested without a DOM). */
import type { RecoveryStatus } from '../../../../contract/dto.js';

/** The banner's text, or undefined when there is nothing to say. */
export interface RecoveryBannerModel {
  /** "3 orphaned containers from a Taskdeck process that is gone" (with networks etc. after). */
  readonly orphans?: string;
  /** "2 damaged data files or records were kept aside or skipped" */
  readonly damaged?: string;
  readonly details: readonly string[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The banner for a status; undefined hides it. */
export function recoveryBanner(status: RecoveryStatus | undefined): RecoveryBannerModel | undefined {
  if (!status) return undefined;
  const o = status.orphans;
  const total = o.containers + o.networks + o.volumes + o.tempDataDirs;
  const rest = [
    o.networks ? plural(o.networks, 'network') : '',
    o.volumes ? plural(o.volumes, 'volume') : '',
    o.tempDataDirs ? plural(o.tempDataDirs, 'temporary data dir') : '',
  ].filter(Boolean);
  const head = o.containers
    ? `${plural(o.containers, 'orphaned container')}${rest.length ? ` (and ${rest.join(', ')})` : ''}`
    : `${rest.join(', ')} orphaned`;
  const orphans = total > 0 ? `${head} from a Taskdeck process that is gone` : undefined;
  const n = status.dataWarnings.length;
  const damaged =
    n > 0 ? `${plural(n, 'problem')} with damaged data (kept aside, never overwritten)` : undefined;
  if (!orphans && !damaged) return undefined;
  return {
    ...(orphans ? { orphans } : {}),
    ...(damaged ? { damaged } : {}),
    details: status.dataWarnings.map((w) => w.message),
  };
}
