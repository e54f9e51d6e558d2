/** Live validation of editor text: debounced, calls `definitions:validate` (nothing is saved). */
import { useEffect, useState } from 'react';
import type { DefinitionValidation } from '../../../../contract/dto.js';
import { useApi } from '../../api/api-context.js';

/** The validation of exactly `text` (undefined while it is being checked, or when empty). */
export function useLiveValidation(text: string, fileName?: string): DefinitionValidation | undefined {
  const { call } = useApi();
  const [state, setState] = useState<{ text: string; result: DefinitionValidation }>();
  useEffect(() => {
    if (text.trim() === '') return;
    let cancelled = false;
    // Debounce typing: validate once the user pauses.
    const timer = setTimeout(() => {
      call('definitions:validate', { text, ...(fileName ? { fileName } : {}) })
        .then((result) => {
          if (!cancelled) setState({ text, result });
        })
        .catch((err: Error) => {
          if (!cancelled)
            setState({
              text,
              result: { valid: false, errors: [{ path: '', message: err.message }], warnings: [] },
            });
        });
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [call, text, fileName]);
  return state !== undefined && state.text === text && text.trim() !== '' ? state.result : undefined;
}
