/**
 * Request validation shared by every transport: unknown operation and bad input both come back as
 * an ApiError naming the offending path.
 */
import type { z } from 'zod';
import type { ApiError } from './dto.js';
import { operations, type OperationParams } from './operations.js';
import type { OperationName } from './operation-names.js';

/** `containerOverrides[0].memory`-style path for a zod issue path. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** A zod error → BAD_REQUEST ApiError; the message names the operation and the first bad path. */
export function zodErrorToApiError(operation: string, error: z.ZodError): ApiError {
  const issues = error.issues.map((issue) => ({
    path: formatIssuePath(issue.path),
    message: issue.message,
  }));
  const first = issues[0];
  const where = first && first.path !== '' ? `${first.path}: ` : '';
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return {
    code: 'BAD_REQUEST',
    message: `Invalid input for ${operation}: ${where}${first?.message ?? 'invalid'}${more}`,
    ...(first ? { path: first.path } : {}),
    issues,
  };
}

/** Validates `input` against the operation's schema. */
export function parseOperationInput<N extends OperationName>(
  name: N,
  input: unknown,
): { ok: true; params: OperationParams<N> } | { ok: false; error: ApiError } {
  const schema = operations[name].request as z.ZodType;
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: zodErrorToApiError(name, parsed.error) };
  return { ok: true, params: parsed.data as OperationParams<N> };
}
