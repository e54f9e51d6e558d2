/**
 * Event diff (pure): what changed between two consecutive ECS Task State Change events. Containers
 * are matched by name (not array position) and attachment details by name, so a reordered list
 * is not reported as a change.
 */
import type { TaskEventDetail } from '../../../../contract/dto.js';

export interface Change {
  /** e.g. `lastStatus`, `containers[db].healthStatus`, `attachments[0].details[macAddress]`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly kind: 'added' | 'removed' | 'changed';
}

/** Fields that change with every event and say nothing. */
const IGNORED = new Set(['version']);

function keyedArray(path: string, value: unknown[]): [string, unknown][] | undefined {
  const key = value.every((v) => typeof v === 'object' && v !== null && 'name' in v)
    ? 'name'
    : value.every((v) => typeof v === 'object' && v !== null && 'id' in v)
      ? 'id'
      : undefined;
  if (!key || path === '') return undefined;
  return value.map((v) => [String((v as Record<string, unknown>)[key]), v]);
}

function entries(path: string, value: unknown): [string, unknown][] | undefined {
  if (Array.isArray(value)) {
    return keyedArray(path, value) ?? value.map((v, i) => [String(i), v]);
  }
  if (typeof value === 'object' && value !== null) return Object.entries(value);
  return undefined;
}

function walk(path: string, a: unknown, b: unknown, out: Change[]): void {
  if (a === b) return;
  const ea = entries(path, a);
  const eb = entries(path, b);
  if (ea && eb && Array.isArray(a) === Array.isArray(b)) {
    const mb = new Map(eb);
    const ma = new Map(ea);
    const arr = Array.isArray(a);
    for (const [k, v] of ea) {
      const p = arr ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      if (!arr && path === '' && IGNORED.has(k)) continue;
      if (!mb.has(k)) out.push({ path: p, before: v, kind: 'removed' });
      else walk(p, v, mb.get(k), out);
    }
    for (const [k, v] of eb) {
      if (ma.has(k) || (!arr && path === '' && IGNORED.has(k))) continue;
      out.push({ path: arr ? `${path}[${k}]` : path ? `${path}.${k}` : k, after: v, kind: 'added' });
    }
    return;
  }
  if (a === undefined) out.push({ path, after: b, kind: 'added' });
  else if (b === undefined) out.push({ path, before: a, kind: 'removed' });
  else if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, before: a, after: b, kind: 'changed' });
}

/** Changes from `before` to `after`; with no `before` (the first event) every field is added. */
export function diffEventDetails(before: TaskEventDetail | undefined, after: TaskEventDetail): Change[] {
  const out: Change[] = [];
  walk('', before ?? {}, after, out);
  return out;
}

/** A value as one short line for the diff table. */
export function formatValue(v: unknown): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return v;
  const s = JSON.stringify(v);
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}
