/** Launch-dialog form state ↔ RunTask overrides (pure; errors name the field). */
import type { LaunchOverrides, NameValue, TaskDefinitionView } from '../../../../contract/dto.js';

export interface ContainerForm {
  readonly name: string;
  readonly command: string;
  readonly environment: string;
  readonly cpu: string;
  readonly memory: string;
}

/** Form state from the definition, prefilled with earlier overrides (re-run). */
export function initialForms(def: TaskDefinitionView, overrides?: LaunchOverrides): ContainerForm[] {
  return def.containers.map((c) => {
    const o = overrides?.containerOverrides?.find((x) => x.name === c.name);
    return {
      name: c.name,
      command: o?.command ? JSON.stringify(o.command) : '',
      environment: (o?.environment ?? []).map((e) => `${e.name}=${e.value}`).join('\n'),
      cpu: o?.cpu !== undefined ? String(o.cpu) : '',
      memory: o?.memory !== undefined ? String(o.memory) : '',
    };
  });
}

/** Parses the command field: a JSON array of strings, or plain text run through `sh -c`. */
export function parseCommand(text: string): readonly string[] | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (t.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      throw new Error('is not a valid JSON array');
    }
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) {
      throw new Error('must be a JSON array of strings');
    }
    return parsed as string[];
  }
  return ['sh', '-c', t];
}

/** Parses `KEY=value` lines. */
export function parseEnvironment(text: string): readonly NameValue[] | undefined {
  const out: NameValue[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`line ${i + 1} must look like NAME=value`);
    out.push({ name: line.slice(0, eq).trim(), value: line.slice(eq + 1) });
  });
  return out.length ? out : undefined;
}

function parseInteger(text: string, min: number): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  if (!Number.isInteger(n) || n < min) throw new Error(`must be a whole number ≥ ${min}`);
  return n;
}

/** Forms → overrides, or the first problem as `{field, message}`. */
export function buildOverrides(
  forms: readonly ContainerForm[],
): { ok: true; overrides: LaunchOverrides | undefined } | { ok: false; field: string; message: string } {
  const list: NonNullable<LaunchOverrides['containerOverrides']>[number][] = [];
  for (const f of forms) {
    const field = (k: string) => `${f.name}.${k}`;
    let command, environment, cpu, memory;
    try {
      command = parseCommand(f.command);
    } catch (e) {
      return { ok: false, field: field('command'), message: `Command of ${f.name} ${(e as Error).message}` };
    }
    try {
      environment = parseEnvironment(f.environment);
    } catch (e) {
      return {
        ok: false,
        field: field('environment'),
        message: `Environment of ${f.name}: ${(e as Error).message}`,
      };
    }
    try {
      cpu = parseInteger(f.cpu, 0);
    } catch (e) {
      return { ok: false, field: field('cpu'), message: `CPU of ${f.name} ${(e as Error).message}` };
    }
    try {
      memory = parseInteger(f.memory, 6);
    } catch (e) {
      return { ok: false, field: field('memory'), message: `Memory of ${f.name} ${(e as Error).message}` };
    }
    if (command || environment || cpu !== undefined || memory !== undefined) {
      list.push({
        name: f.name,
        ...(command ? { command } : {}),
        ...(environment ? { environment } : {}),
        ...(cpu !== undefined ? { cpu } : {}),
        ...(memory !== undefined ? { memory } : {}),
      });
    }
  }
  return { ok: true, overrides: list.length ? { containerOverrides: list } : undefined };
}
