/**
 * Resolves a service's `taskDefinition` against the definitions library, as ECS resolves it
 * against registered revisions: `family:revision` is that revision, `family` the latest (highest)
 * revision, and a task-definition ARN is read as its `family:revision`.
 */
import { ApiFailure } from '../../contract/errors.js';
import type { TaskDefinition } from '../task-definition/model.js';
import type { DefinitionsLibrary } from './definitions-library.js';

export interface ResolvedDefinition {
  /** `family:revision` of the definition found. */
  readonly ref: string;
  readonly definitionId: string;
  readonly definition: TaskDefinition;
}

/** `arn:…:task-definition/web:3` → `web:3`; anything else unchanged. */
export function stripTaskDefinitionArn(ref: string): string {
  const at = ref.indexOf(':task-definition/');
  return ref.startsWith('arn:') && at >= 0 ? ref.slice(at + ':task-definition/'.length) : ref;
}

/** Every valid library definition with its parsed model (invalid ones cannot be run). */
function validDefinitions(
  library: DefinitionsLibrary,
): { id: string; def: TaskDefinition; updatedAt: string }[] {
  const out: { id: string; def: TaskDefinition; updatedAt: string }[] = [];
  for (const s of library.list()) {
    if (!s.valid) continue;
    try {
      out.push({ id: s.id, def: library.model(s.id), updatedAt: s.updatedAt });
    } catch {
      // Became invalid between list and model: not runnable, skip it.
    }
  }
  return out;
}

/**
 * The library definition `ref` names, or a message saying what is missing (what the library has
 * of that family), for the caller to put at its JSON path.
 */
export function resolveLibraryRef(
  library: DefinitionsLibrary,
  rawRef: string,
): { ok: true; value: ResolvedDefinition } | { ok: false; message: string } {
  const ref = stripTaskDefinitionArn(rawRef.trim());
  const match = /^([A-Za-z0-9_-]{1,255})(?::(\d+))?$/.exec(ref);
  if (!match) {
    return { ok: false, message: `"${rawRef}" is not "family", "family:revision" or a task-definition ARN` };
  }
  const family = match[1] as string;
  const revision = match[2] !== undefined ? Number(match[2]) : undefined;
  const ofFamily = validDefinitions(library).filter((d) => d.def.family === family);
  if (ofFamily.length === 0) {
    return {
      ok: false,
      message: `no valid definition of family "${family}" in the library: import the task definition first`,
    };
  }
  // Highest revision wins; among equal revisions the most recently saved one.
  const sorted = ofFamily.sort(
    (a, b) => b.def.revision - a.def.revision || b.updatedAt.localeCompare(a.updatedAt),
  );
  const found = revision === undefined ? sorted[0] : sorted.find((d) => d.def.revision === revision);
  if (!found) {
    const have = [...new Set(sorted.map((d) => d.def.revision))].sort((a, b) => a - b).join(', ');
    return {
      ok: false,
      message: `the library has no revision ${revision} of "${family}" (revisions: ${have}); set "revision" in the definition you import`,
    };
  }
  return {
    ok: true,
    value: { ref: `${family}:${found.def.revision}`, definitionId: found.id, definition: found.def },
  };
}

/** A library definition by id, as a deployment reference. */
export function libraryDefinitionById(library: DefinitionsLibrary, id: string): ResolvedDefinition {
  const definition = library.model(id);
  return { ref: `${definition.family}:${definition.revision}`, definitionId: id, definition };
}

/** `resolveLibraryRef` or a BAD_REQUEST at `path`. */
export function requireLibraryRef(
  library: DefinitionsLibrary,
  ref: string,
  path: string,
): ResolvedDefinition {
  const resolved = resolveLibraryRef(library, ref);
  if (!resolved.ok) throw new ApiFailure('BAD_REQUEST', `${path}: ${resolved.message}`, { path });
  return resolved.value;
}
