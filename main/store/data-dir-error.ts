/** The data dir cannot be used (unreadable, not writable, not a folder): the error names it, not Docker. */
export class DataDirError extends Error {
  constructor(
    readonly dataDir: string,
    cause: unknown,
  ) {
    super(`cannot use the data dir ${dataDir}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'DataDirError';
  }
}

/** Runs `step` on the data dir; any failure becomes a DataDirError naming `dataDir`. */
export async function onDataDir<T>(dataDir: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw err instanceof DataDirError ? err : new DataDirError(dataDir, err);
  }
}
