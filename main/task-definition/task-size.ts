/**
 * Task-level cpu and memory as ECS accepts them: strings of CPU units (`"256"`) or vCPUs
 * (`"1 vCPU"`, `"0.25 vcpu"`, `".25 vcpu"`), and MiB (`"512"`) or GB (`"0.5 GB"`, `".5 gb"`,
 * `"2GB"`); ECS takes a leading dot (the ECS Exec guide writes `".25 vcpu"`). Numbers are
 * accepted too (CloudFormation writes them). Results are whole CPU units and MiB.
 */

export type SizeResult = { readonly ok: true; readonly value: number } | { readonly ok: false };

const CPU = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(vcpus?)?\s*$/i;
const MEMORY = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(gb|gib|mb|mib)?\s*$/i;

/** The forms ECS accepts, for error messages: `cpu must be ${TASK_SIZE_FORMS.cpu}, got …`. */
export const TASK_SIZE_FORMS = {
  cpu: 'CPU units (e.g. "256") or vCPUs (e.g. "0.25 vCPU")',
  memory: 'MiB (e.g. "512") or GB (e.g. "0.5 GB")',
} as const;

/** Parses task-level `cpu` (CPU units) or `memory` (MiB). */
export function parseTaskSize(key: 'cpu' | 'memory', value: unknown): SizeResult {
  return key === 'cpu' ? parseTaskCpu(value) : parseTaskMemory(value);
}

/** Parses task cpu: CPU units (1024 per vCPU). */
export function parseTaskCpu(value: unknown): SizeResult {
  if (typeof value === 'number') return positiveInteger(value);
  if (typeof value !== 'string') return { ok: false };
  const match = CPU.exec(value);
  if (!match?.[1]) return { ok: false };
  const amount = Number(match[1]);
  return positiveInteger(match[2] ? amount * 1024 : amount);
}

/** Parses task memory: MiB. */
export function parseTaskMemory(value: unknown): SizeResult {
  if (typeof value === 'number') return positiveInteger(value);
  if (typeof value !== 'string') return { ok: false };
  const match = MEMORY.exec(value);
  if (!match?.[1]) return { ok: false };
  const amount = Number(match[1]);
  const unit = match[2]?.toLowerCase();
  return positiveInteger(unit === 'gb' || unit === 'gib' ? amount * 1024 : amount);
}

function positiveInteger(value: number): SizeResult {
  // 0.1 vCPU → 102.4 units is not a size ECS accepts either.
  return Number.isInteger(value) && value > 0 ? { ok: true, value } : { ok: false };
}
