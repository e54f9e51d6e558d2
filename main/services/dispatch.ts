/**
 * The one entry point every transport calls: operation name + untrusted input → envelope.
 * Validates with the contract's zod schema; never throws.
 */
import type { ApiError } from '../../contract/dto.js';
import { toApiError, type ApiResult } from '../../contract/errors.js';
import type { CallerContext } from '../../contract/caller.js';
import { isConnectionOperation, isOperationName } from '../../contract/operation-names.js';
import type { ApiHandlers } from '../../contract/operations.js';
import { parseOperationInput } from '../../contract/validate.js';

/** Runs operation `name` with `input`; unknown operation and bad input come back as errors. */
export async function dispatchOperation(
  handlers: ApiHandlers,
  name: string,
  input: unknown,
  caller?: CallerContext,
): Promise<ApiResult<unknown>> {
  if (!isOperationName(name)) {
    return { ok: false, error: { code: 'UNKNOWN_OPERATION', message: `Unknown operation "${name}"` } };
  }
  if (isConnectionOperation(name) && !caller) {
    return {
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: `${name} belongs to a connection: in web mode send it over the authenticated WebSocket`,
      },
    };
  }
  const parsed = parseOperationInput(name, input);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  try {
    // The map is indexed by a union key, so TypeScript cannot pair params with handler; parse
    // above guarantees they match.
    const handler = handlers[name] as (params: unknown, caller?: CallerContext) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.params, caller) };
  } catch (err) {
    const error: ApiError = toApiError(err);
    if (error.code === 'INTERNAL') console.error(`[taskdeck] ${name} failed:`, err);
    return { ok: false, error };
  }
}
