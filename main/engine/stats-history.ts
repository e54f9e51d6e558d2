/**
 * A container's resource history with bounded memory for any task lifetime: the newest samples
 * at full resolution (Docker sends about one a second) in a ring, older ones merged into coarse
 * buckets whose width doubles whenever there are too many of them. Pure; persisted as JSON.
 */
import type { ResourceSample } from '../../contract/dto.js';

/** Full-resolution samples kept (≈ 10 minutes at Docker's 1 s cadence). */
export const FINE_CAPACITY = 600;
/** Coarse buckets kept before their width doubles. */
export const COARSE_CAPACITY = 360;
/** Width of a coarse bucket at first. */
export const INITIAL_COARSE_MS = 10_000;

/** The persisted form (compact: one array per sample). */
export interface StoredHistory {
  readonly coarseMs: number;
  /** [t, cpu, mem, rx, tx, rd, wr, pids, n] */
  readonly coarse: readonly (readonly number[])[];
  readonly fine: readonly (readonly number[])[];
}

/** Merges `b` into `a` (a is older): means weighted by sample count, maxima for memory and PIDs. */
export function mergeSamples(a: ResourceSample, b: ResourceSample): ResourceSample {
  const na = a.n ?? 1;
  const nb = b.n ?? 1;
  const n = na + nb;
  const mean = (x: number, y: number) => (x * na + y * nb) / n;
  return {
    t: a.t,
    cpu: Math.round(mean(a.cpu, b.cpu) * 100) / 100,
    mem: Math.max(a.mem, b.mem),
    rx: Math.round(mean(a.rx, b.rx)),
    tx: Math.round(mean(a.tx, b.tx)),
    rd: Math.round(mean(a.rd, b.rd)),
    wr: Math.round(mean(a.wr, b.wr)),
    pids: Math.max(a.pids, b.pids),
    n,
  };
}

/** Bounded history: `fine` (a ring) plus `coarse` buckets of `coarseMs`. */
export class ResourceHistory {
  private fine: ResourceSample[] = [];
  private coarse: ResourceSample[] = [];
  private coarseMs: number;

  constructor(
    private readonly fineCapacity = FINE_CAPACITY,
    private readonly coarseCapacity = COARSE_CAPACITY,
    initialCoarseMs = INITIAL_COARSE_MS,
  ) {
    this.coarseMs = initialCoarseMs;
  }

  /** Appends a sample (older than the newest kept: ignored, so a resumed stream never goes back). */
  add(s: ResourceSample): void {
    const last = this.fine.at(-1) ?? this.coarse.at(-1);
    if (last && s.t <= last.t) return;
    this.fine.push(s);
    // Evict in one step when well over capacity, so the ring does not shift on every sample.
    if (this.fine.length >= this.fineCapacity + Math.max(1, this.fineCapacity >> 3)) {
      const evicted = this.fine.splice(0, this.fine.length - this.fineCapacity);
      for (const e of evicted) this.toCoarse(e);
    }
  }

  private toCoarse(s: ResourceSample): void {
    const last = this.coarse.at(-1);
    if (last && Math.floor(last.t / this.coarseMs) === Math.floor(s.t / this.coarseMs)) {
      this.coarse[this.coarse.length - 1] = mergeSamples(last, s);
    } else {
      this.coarse.push(s);
    }
    while (this.coarse.length > this.coarseCapacity) this.widen();
  }

  /** Doubles the coarse bucket width and re-buckets. */
  private widen(): void {
    this.coarseMs *= 2;
    const out: ResourceSample[] = [];
    for (const s of this.coarse) {
      const last = out.at(-1);
      if (last && Math.floor(last.t / this.coarseMs) === Math.floor(s.t / this.coarseMs))
        out[out.length - 1] = mergeSamples(last, s);
      else out.push(s);
    }
    this.coarse = out;
  }

  /** Every point, oldest first. */
  samples(): ResourceSample[] {
    return [...this.coarse, ...this.fine];
  }

  /** The newest `count` full-resolution samples. */
  latest(count: number): ResourceSample[] {
    return this.fine.slice(-count);
  }

  get size(): number {
    return this.coarse.length + this.fine.length;
  }

  get coarseBucketMs(): number {
    return this.coarseMs;
  }

  toJSON(): StoredHistory {
    return { coarseMs: this.coarseMs, coarse: this.coarse.map(pack), fine: this.fine.map(pack) };
  }

  /** Restores a persisted history; anything malformed is dropped rather than trusted. */
  static fromJSON(stored: unknown): ResourceHistory {
    const h = new ResourceHistory();
    const s = stored as Partial<StoredHistory> | undefined;
    if (!s || typeof s.coarseMs !== 'number' || !Array.isArray(s.coarse) || !Array.isArray(s.fine)) return h;
    h.coarseMs = s.coarseMs;
    h.coarse = s.coarse.flatMap(unpack).slice(-h.coarseCapacity);
    h.fine = s.fine.flatMap(unpack).slice(-h.fineCapacity);
    return h;
  }
}

function pack(s: ResourceSample): number[] {
  const row = [s.t, s.cpu, s.mem, s.rx, s.tx, s.rd, s.wr, s.pids];
  if (s.n !== undefined && s.n !== 1) row.push(s.n);
  return row;
}

function unpack(row: unknown): ResourceSample[] {
  if (!Array.isArray(row) || row.length < 8 || !row.every((x) => typeof x === 'number' && Number.isFinite(x)))
    return [];
  const [t, cpu, mem, rx, tx, rd, wr, pids, n] = row as number[];
  return [
    { t: t!, cpu: cpu!, mem: mem!, rx: rx!, tx: tx!, rd: rd!, wr: wr!, pids: pids!, ...(n ? { n } : {}) },
  ];
}
