/**
 * The definitions library: task definitions the user imported, kept as their original text in
 * `<dataDir>/definitions/<id>.json` and re-validated on load (so a parser upgrade re-judges them).
 * Invalid definitions are kept too, so the user can fix them in the editor.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DefinitionDetail, DefinitionSummary, DefinitionValidation } from '../../contract/dto.js';
import { ApiFailure } from '../../contract/errors.js';
import type { ParseResult, TaskDefinition } from '../task-definition/model.js';
import { toDefinitionView } from './definition-view.js';
import { reportDataWarning } from '../store/data-warnings.js';
import { readJsonOrKeepAside } from '../store/keep-aside.js';
import { writeJsonFile } from './json-file.js';

/** Parses definition text (the real one is task-definition/parse-task-definition.ts). */
export type ParseDefinition = (text: string, options?: { fileName?: string }) => ParseResult;

/** What is stored per entry. */
interface StoredDefinition {
  readonly id: string;
  readonly fileName?: string;
  readonly text: string;
  readonly importedAt: string;
  readonly updatedAt: string;
}

/** Library operations; the only writer of `<dataDir>/definitions`. */
export interface DefinitionsLibrary {
  list(): readonly DefinitionSummary[];
  get(id: string): DefinitionDetail;
  /** The parsed model, for launching; throws INVALID_DEFINITION when it does not validate. */
  model(id: string): TaskDefinition;
  validate(text: string, fileName?: string): DefinitionValidation;
  import(text: string, fileName?: string): Promise<DefinitionDetail>;
  update(id: string, text: string): Promise<DefinitionDetail>;
  delete(id: string): Promise<void>;
}

interface Entry {
  readonly stored: StoredDefinition;
  readonly parsed: ParseResult;
}

function isStored(value: unknown): value is StoredDefinition {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v['id'] === 'string' &&
    typeof v['text'] === 'string' &&
    typeof v['importedAt'] === 'string' &&
    typeof v['updatedAt'] === 'string'
  );
}

/** Best-effort family of text that does not validate (so the list shows a useful name). */
export function guessFamily(text: string): string | undefined {
  try {
    const doc = JSON.parse(text) as unknown;
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
    const obj = doc as Record<string, unknown>;
    const inner = obj['taskDefinition'];
    const family =
      inner !== null && typeof inner === 'object'
        ? (inner as Record<string, unknown>)['family']
        : obj['family'];
    return typeof family === 'string' && family.trim() !== '' ? family.trim().slice(0, 255) : undefined;
  } catch {
    return undefined;
  }
}

function baseName(fileName: string | undefined): string | undefined {
  if (fileName === undefined) return undefined;
  return fileName.replace(/^.*[\\/]/, '').replace(/\.json$/i, '') || undefined;
}

/** Opens (and loads) the library at `dir`. */
export async function createDefinitionsLibrary(
  dir: string,
  parse: ParseDefinition,
  now: () => Date = () => new Date(),
): Promise<DefinitionsLibrary> {
  const entries = new Map<string, Entry>();

  const parseStored = (stored: StoredDefinition): ParseResult => {
    try {
      return parse(stored.text, stored.fileName !== undefined ? { fileName: stored.fileName } : {});
    } catch (err) {
      return { ok: false, errors: [{ path: '', message: (err as Error).message }], warnings: [] };
    }
  };

  let names: string[] = [];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const name of names) {
    if (!name.endsWith('.json')) continue;
    // A damaged file is kept aside (<id>.json.corrupt-<time>, no longer listed) and reported.
    const raw = await readJsonOrKeepAside(join(dir, name), isStored).catch((err: Error) => {
      reportDataWarning(`cannot read saved definition ${join(dir, name)}: ${err.message}`, join(dir, name));
      return undefined;
    });
    if (!isStored(raw)) continue;
    entries.set(raw.id, { stored: raw, parsed: parseStored(raw) });
  }

  const summary = ({ stored, parsed }: Entry): DefinitionSummary => {
    const def = parsed.ok ? parsed.taskDefinition : undefined;
    return {
      id: stored.id,
      family: def?.family ?? guessFamily(stored.text) ?? baseName(stored.fileName) ?? 'untitled',
      ...(stored.fileName !== undefined ? { fileName: stored.fileName } : {}),
      valid: parsed.ok,
      ...(def ? { networkMode: def.networkMode } : {}),
      containerNames: def ? def.containerDefinitions.map((c) => c.name) : [],
      errorCount: parsed.ok ? 0 : parsed.errors.length,
      warningCount: parsed.warnings.length,
      importedAt: stored.importedAt,
      updatedAt: stored.updatedAt,
    };
  };

  const detail = (entry: Entry): DefinitionDetail => ({
    ...summary(entry),
    text: entry.stored.text,
    ...(entry.parsed.ok ? { definition: toDefinitionView(entry.parsed.taskDefinition) } : {}),
    errors: entry.parsed.ok ? [] : entry.parsed.errors,
    warnings: entry.parsed.warnings,
  });

  const find = (id: string): Entry => {
    const entry = entries.get(id);
    if (!entry) throw new ApiFailure('NOT_FOUND', `No saved definition with id "${id}"`, { path: 'id' });
    return entry;
  };

  const save = async (stored: StoredDefinition): Promise<DefinitionDetail> => {
    await writeJsonFile(join(dir, `${stored.id}.json`), stored);
    const entry = { stored, parsed: parseStored(stored) };
    entries.set(stored.id, entry);
    return detail(entry);
  };

  return {
    list: () =>
      [...entries.values()]
        .sort((a, b) => b.stored.importedAt.localeCompare(a.stored.importedAt))
        .map(summary),
    get: (id) => detail(find(id)),
    model(id) {
      const { parsed } = find(id);
      if (!parsed.ok) {
        const first = parsed.errors[0];
        throw new ApiFailure(
          'INVALID_DEFINITION',
          `The definition does not validate: ${first ? `${first.path || '(root)'}: ${first.message}` : 'invalid'}`,
          { ...(first ? { path: first.path } : {}), issues: parsed.errors },
        );
      }
      return parsed.taskDefinition;
    },
    validate(text, fileName) {
      const stored = {
        id: 'validate',
        text,
        importedAt: '',
        updatedAt: '',
        ...(fileName ? { fileName } : {}),
      };
      const parsed = parseStored(stored);
      return {
        valid: parsed.ok,
        ...(parsed.ok ? { definition: toDefinitionView(parsed.taskDefinition) } : {}),
        errors: parsed.ok ? [] : parsed.errors,
        warnings: parsed.warnings,
      };
    },
    async import(text, fileName) {
      const at = now().toISOString();
      const id = `def-${randomBytes(6).toString('hex')}`;
      return save({
        id,
        text,
        importedAt: at,
        updatedAt: at,
        ...(fileName !== undefined ? { fileName } : {}),
      });
    },
    async update(id, text) {
      const { stored } = find(id);
      return save({ ...stored, text, updatedAt: now().toISOString() });
    },
    async delete(id) {
      find(id);
      entries.delete(id);
      await rm(join(dir, `${id}.json`), { force: true });
    },
  };
}
