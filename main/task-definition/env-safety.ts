/**
 * Environment entries Docker refuses. runc rejects a NUL byte in a variable's name or value at
 * container start, and its error quotes the whole `NAME=value`, so such an entry must be refused
 * before anything is created, naming the variable and never showing the value.
 */

/** Why Docker would refuse `name=value` (e.g. `contains a NUL byte`), or undefined. */
export function envEntryProblem(name: string, value: string): string | undefined {
  if (name === '') return 'has an empty name';
  if (name.includes('\0')) return 'has a NUL byte in its name';
  if (name.includes('=')) return 'has "=" in its name';
  if (value.includes('\0')) return 'contains a NUL byte';
  return undefined;
}

/** A variable name fit for a message: as written, or JSON-quoted when it holds control characters. */
export function shownName(name: string): string {
  // eslint-disable-next-line no-control-regex -- a name with control characters is shown escaped
  return /[\u0000-\u001f\u007f]/.test(name) ? JSON.stringify(name) : name;
}
