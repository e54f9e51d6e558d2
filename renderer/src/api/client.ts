/** Typed calls that throw on failure (what react-query wants): `call('tasks:run', {...})`. */
import type { TaskdeckBridge } from '../../../contract/bridge.js';
import { unwrapResult } from '../../../contract/errors.js';
import type { OperationName } from '../../../contract/operation-names.js';
import type { OperationInput, OperationResponse } from '../../../contract/operations.js';

/** A caller bound to one bridge. */
export type ApiCall = <N extends OperationName>(
  name: N,
  input: OperationInput<N>,
) => Promise<OperationResponse<N>>;

/** Wraps a bridge: envelope failures become thrown ApiCallErrors. */
export function createApiCall(bridge: TaskdeckBridge): ApiCall {
  return async (name, input) => {
    // Indexing the invoker map by a generic key loses the pairing; the contract guarantees it.
    const invoke = bridge[name] as unknown as (i: unknown) => Promise<Parameters<typeof unwrapResult>[0]>;
    return unwrapResult(await invoke(input)) as OperationResponse<typeof name>;
  };
}
