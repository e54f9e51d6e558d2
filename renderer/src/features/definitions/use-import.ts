/** Importing definitions from files (picker or drop) and text (paste), with toasts and navigation. */
import { useCallback } from 'react';
import type { DefinitionDetail } from '../../../../contract/dto.js';
import { navigate } from '../../app/router.js';
import { errorToast, useToasts } from '../../components/Toasts.js';
import { useSaveDefinition } from '../../queries/hooks.js';

export function useImport() {
  const save = useSaveDefinition();
  const { push } = useToasts();
  const { mutateAsync } = save;

  const announce = useCallback(
    (d: DefinitionDetail) => {
      if (d.valid) {
        push({
          kind: 'success',
          title: `Imported ${d.family}`,
          ...(d.warningCount ? { message: `${d.warningCount} warning(s)` } : {}),
        });
      } else {
        push({
          kind: 'error',
          title: `Imported ${d.family} with ${d.errorCount} error(s)`,
          message: d.errors[0]?.message ?? '',
        });
      }
      navigate({ name: 'definitions', id: d.id });
    },
    [push],
  );

  const importText = useCallback(
    async (text: string, fileName?: string) => {
      try {
        announce(await mutateAsync({ kind: 'import', text, ...(fileName ? { fileName } : {}) }));
        return true;
      } catch (err) {
        push(errorToast('Import failed', err));
        return false;
      }
    },
    [announce, mutateAsync, push],
  );

  const importFiles = useCallback(
    async (files: FileList | readonly File[]) => {
      for (const file of Array.from(files)) {
        if (file.size > 1_000_000) {
          push({
            kind: 'error',
            title: `${file.name} is too large`,
            message: 'Definitions must be under 1 MB.',
          });
          continue;
        }
        await importText(await file.text(), file.name);
      }
    },
    [importText, push],
  );

  const importExample = useCallback(async () => {
    try {
      announce(await mutateAsync({ kind: 'example' }));
    } catch (err) {
      push(errorToast('Could not add the example', err));
    }
  }, [announce, mutateAsync, push]);

  return { importText, importFiles, importExample, saving: save.isPending };
}
