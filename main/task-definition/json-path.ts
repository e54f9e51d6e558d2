/**
 * JSON paths as Taskdeck prints them: `containerDefinitions[1].dependsOn[0].condition`.
 * Keys that are not identifiers are quoted (`dockerLabels["com.example.team"]`) so a path is
 * never ambiguous.
 */

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const LAST_SEGMENT = /(?:\.[A-Za-z_$][\w$]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\]|^[A-Za-z_$][\w$]*)$/;

/** The path of `key` inside the object at `base` (`` is the document root). */
export function keyPath(base: string, key: string): string {
  if (IDENTIFIER.test(key)) return base === '' ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

/** The path of element `index` of the array at `base`. */
export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** The enclosing path (`a.b[2]` → `a.b`), or undefined for the root. */
export function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  const match = LAST_SEGMENT.exec(path);
  return match ? path.slice(0, match.index) : '';
}
