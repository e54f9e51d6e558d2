/**
 * `taskdeck service up` input: reads the service file and its target-group files, resolves the
 * task definition (a file path relative to the service file), and validates everything before
 * anything is created. Errors carry the file and the JSON path.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import type { TaskDefinition } from '../task-definition/model.js';
import { parseTaskDefinition } from '../task-definition/parse-task-definition.js';
import { parseService, type ServiceIssue } from '../ecs-service/service-parse.js';
import { parseTargetGroup } from '../ecs-service/target-group-parse.js';
import type { CreateServiceInput } from '../ecs-service/service-manager-api.js';
import type { TargetGroupSpec } from '../ecs-service/target-group-spec.js';
import { terminalSafe } from './terminal-safe.js';

/** The flags that shape the input. */
export interface ServiceInputOptions {
  readonly targetGroup?: readonly string[];
  readonly listen?: readonly string[];
  readonly deregistrationDelay?: number;
  readonly region: string;
  readonly account: string;
}

/** The validated input, or the lines to print (exit 2). */
export type ServiceInputResult =
  | { readonly ok: true; readonly input: CreateServiceInput; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly message: string };

const issueLines = (file: string, issues: readonly ServiceIssue[]) =>
  issues.map((i) => `  ${terminalSafe(file)}: ${terminalSafe(i.path)}: ${terminalSafe(i.message)}`);

async function readText(file: string): Promise<string | { error: string }> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    return { error: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message };
  }
}

/** Resolves `taskDefinition` as the CLI can: a task-definition file next to (or relative to) the service file. */
export function fileResolver(serviceFile: string) {
  return async (ref: string): Promise<TaskDefinition | { error: string }> => {
    const path = resolvePath(dirname(resolvePath(serviceFile)), ref);
    const text = await readText(path);
    if (typeof text !== 'string') {
      return {
        error: `cannot read task definition file ${ref} (${text.error}); the CLI resolves taskDefinition as a file path relative to the service file (family:revision needs the app's library)`,
      };
    }
    const parsed = parseTaskDefinition(text, { fileName: path });
    if (!parsed.ok) {
      const first = parsed.errors.slice(0, 5).map((e) => `${e.path || '(root)'}: ${e.message}`);
      return { error: `${ref} is not a valid task definition: ${first.join('; ')}` };
    }
    return parsed.taskDefinition;
  };
}

/** Parses `--listen NAME=PORT` values. */
export function parseListen(
  values: readonly string[],
): { ok: true; listen: Record<string, { port: number }> } | { ok: false; error: string } {
  const out: Record<string, { port: number }> = {};
  for (const v of values) {
    const m = /^([^=]+)=(\d{1,5})$/.exec(v);
    const port = m ? Number(m[2]) : NaN;
    if (!m || port < 1 || port > 65535)
      return { ok: false, error: `--listen ${v}: expected NAME=PORT with a port from 1 to 65535` };
    out[m[1]!] = { port };
  }
  return { ok: true, listen: out };
}

/** Reads and validates everything `service up` needs; nothing is created. */
export async function readServiceInput(file: string, o: ServiceInputOptions): Promise<ServiceInputResult> {
  const lines: string[] = [];
  const warnings: string[] = [];
  const groups: TargetGroupSpec[] = [];
  for (const tgFile of o.targetGroup ?? []) {
    const text = await readText(tgFile);
    if (typeof text !== 'string') {
      lines.push(`  ${terminalSafe(tgFile)}: cannot read (${text.error})`);
      continue;
    }
    const r = parseTargetGroup(text, {
      region: o.region,
      account: o.account,
      ...(o.deregistrationDelay !== undefined ? { deregistrationDelaySeconds: o.deregistrationDelay } : {}),
    });
    if (!r.ok) lines.push(...issueLines(tgFile, r.errors));
    else {
      groups.push(r.spec);
      warnings.push(...issueLines(tgFile, r.warnings));
    }
  }
  const listen = parseListen(o.listen ?? []);
  if (!listen.ok) lines.push(`  ${terminalSafe(listen.error)}`);
  else {
    for (const name of Object.keys(listen.listen)) {
      if (!groups.some((g) => g.name === name))
        lines.push(`  --listen ${terminalSafe(name)}: no target group named so`);
    }
  }
  const text = await readText(file);
  if (typeof text !== 'string')
    return { ok: false, message: `taskdeck: cannot read ${terminalSafe(file)}: ${text.error}\n` };
  const parsed = await parseService(text, {
    resolveTaskDefinition: fileResolver(file),
    targetGroups: groups,
  });
  if (!parsed.ok) lines.push(...issueLines(file, parsed.errors));
  else warnings.push(...issueLines(file, parsed.warnings));
  if (lines.length > 0 || !parsed.ok || !listen.ok) {
    return {
      ok: false,
      message: `taskdeck: the service is not valid; nothing was created (${lines.length} errors):\n${lines.join('\n')}\n`,
    };
  }
  const used = groups.filter((g) =>
    parsed.service.loadBalancers.some((l) => l.targetGroupArn === g.targetGroupArn),
  );
  return {
    ok: true,
    input: { service: parsed.service, targetGroups: used, listen: listen.listen },
    warnings,
  };
}
