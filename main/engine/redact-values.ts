/**
 * Hides resolved secret and environment-file values in Docker's error texts before they become a
 * container `reason`, the task's `stoppedReason`, an event or a record. Docker quotes what it
 * refuses (runc prints a bad variable with Go's %q), so each value is also matched in its Go- and
 * JSON-escaped spellings, and by the pieces between control characters it contains.
 */

/** Replaces what a task must never show. */
export type Redactor = (text: string) => string;

/** What a redacted value reads as. */
export const REDACTED = '***';

/** Shortest piece of a value (split at control characters) that is redacted on its own. */
const MIN_PIECE = 4;

/** The inside of Go's strconv.Quote for `value` (how Docker and runc quote it in errors). */
export function goQuoted(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    const named: Record<number, string> = { 7: 'a', 8: 'b', 12: 'f', 10: 'n', 13: 'r', 9: 't', 11: 'v' };
    if (named[code]) out += `\\${named[code]}`;
    else if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && code <= 0x9f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

function spellings(value: string): string[] {
  // eslint-disable-next-line no-control-regex -- a value cut at a control character is still secret
  const pieces = value.split(/[\u0000-\u001f\u007f]/).filter((p) => p.length >= MIN_PIECE);
  return [value, goQuoted(value), JSON.stringify(value).slice(1, -1), ...pieces];
}

/** A redactor for `values` (empty ones are ignored); longer spellings are replaced first. */
export function createRedactor(values: Iterable<string>): Redactor {
  const forms = new Set<string>();
  for (const value of values) {
    if (value === '') continue;
    for (const form of spellings(value)) if (form !== '') forms.add(form);
  }
  if (forms.size === 0) return (text) => text;
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(sorted.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}
