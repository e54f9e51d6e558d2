/**
 * JSON parsing that knows where things are: syntax errors get a 1-based line and column, and
 * every value (or object member) of a valid document gets the offset where it starts, so that
 * validation issues can point into the source text too.
 *
 * `JSON.parse` stays the authority on what is valid; the small scanner here only locates. Node's
 * messages carry "at position N" for most errors but not all (e.g. `Unexpected token '}', "…" is
 * not valid JSON`), so the scanner is the fallback for the position.
 */
import type { DefinitionIssue } from './model.js';
import { describeNonJsonInput } from './input-format.js';
import { indexPath, keyPath, parentPath } from './json-path.js';

/** Every JSON syntax error message starts with this (the CLI shows line:column for them). */
export const SYNTAX_ERROR_PREFIX = 'JSON syntax error';

/** Starts the message for a file that is not JSON text at all (UTF-16, YAML). */
export const NOT_JSON_PREFIX = 'Not a JSON file';

/** True for an issue that reports invalid JSON (rather than an invalid task definition). */
export function isSyntaxIssue(issue: DefinitionIssue): boolean {
  return issue.message.startsWith(SYNTAX_ERROR_PREFIX) || issue.message.startsWith(NOT_JSON_PREFIX);
}

/** A 1-based line and column in the source text. */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
}

export type JsonDocument =
  | {
      readonly ok: true;
      readonly value: unknown;
      /** Location of the value at `path` (or of its nearest located ancestor). */
      readonly locate: (path: string) => SourceLocation | undefined;
    }
  | { readonly ok: false; readonly error: DefinitionIssue };

/** Converts a 0-based UTF-16 offset to a 1-based line and column (clamped to the text). */
export function offsetToLocation(text: string, offset: number): SourceLocation {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Parses `text` as JSON; never throws. A leading byte-order mark is ignored. */
export function parseJsonDocument(rawText: string): JsonDocument {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  if (text.trim() === '') {
    return {
      ok: false,
      error: {
        path: '',
        message: `${SYNTAX_ERROR_PREFIX}: the file is empty; expected a JSON task definition`,
        line: 1,
        column: 1,
      },
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const notJson = describeNonJsonInput(rawText);
    if (notJson)
      return {
        ok: false,
        error: { path: '', message: `${NOT_JSON_PREFIX}: ${notJson}`, line: 1, column: 1 },
      };
    return { ok: false, error: syntaxIssue(text, error) };
  }
  const offsets = scanOffsets(text);
  return {
    ok: true,
    value,
    locate: (path) => {
      for (let p: string | undefined = path; p !== undefined; p = parentPath(p)) {
        const offset = offsets.get(p);
        if (offset !== undefined) return offsetToLocation(text, offset);
      }
      return undefined;
    },
  };
}

function syntaxIssue(text: string, error: unknown): DefinitionIssue {
  const raw = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(raw);
  let offset: number;
  if (position?.[1] !== undefined) offset = Number(position[1]);
  else if (/Unexpected end of JSON input/.test(raw)) offset = text.length;
  else offset = findSyntaxErrorOffset(text) ?? text.length;
  const message = raw
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/(?: in JSON)? at position \d+.*$/s, '')
    .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
    .replace(
      /^Unexpected token '(\s)'/,
      (_match, token: string) => `Unexpected ${WHITESPACE_NAMES[token] ?? 'whitespace'}`,
    )
    .trim();
  const { line, column } = offsetToLocation(text, offset);
  return { path: '', message: `${SYNTAX_ERROR_PREFIX}: ${message || 'invalid JSON'}`, line, column };
}

const WHITESPACE_NAMES: Readonly<Record<string, string>> = {
  '\n': 'line break',
  '\r': 'line break',
  '\t': 'tab',
  ' ': 'space',
};

class ScanError extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at offset ${offset}`);
  }
}

/** Offset of the first syntax error in `text`, or undefined if the scanner finds none. */
export function findSyntaxErrorOffset(text: string): number | undefined {
  try {
    new Scanner(text, new Map()).document();
    return undefined;
  } catch (error) {
    if (error instanceof ScanError) return error.offset;
    return undefined;
  }
}

function scanOffsets(text: string): ReadonlyMap<string, number> {
  const offsets = new Map<string, number>();
  try {
    new Scanner(text, offsets).document();
  } catch {
    // Locations are a convenience: a document JSON.parse accepted but we cannot scan
    // (e.g. absurd nesting) simply has fewer of them.
  }
  return offsets;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Minimal recursive-descent JSON scanner that records where each path starts. */
class Scanner {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly offsets: Map<string, number>,
  ) {}

  document(): void {
    this.value('');
    this.whitespace();
    if (this.pos < this.text.length) throw new ScanError(this.pos);
  }

  private whitespace(): void {
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r') return;
      this.pos++;
    }
  }

  private value(path: string): void {
    this.whitespace();
    if (!this.offsets.has(path)) this.offsets.set(path, this.pos);
    const c = this.text[this.pos];
    if (c === '{') this.object(path);
    else if (c === '[') this.array(path);
    else if (c === '"') this.string();
    else if (c === 't') this.literal('true');
    else if (c === 'f') this.literal('false');
    else if (c === 'n') this.literal('null');
    else this.number();
  }

  private object(path: string): void {
    this.pos++;
    this.whitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      this.whitespace();
      const keyStart = this.pos;
      if (this.text[this.pos] !== '"') throw new ScanError(this.pos);
      const memberPath = keyPath(path, this.string());
      if (!this.offsets.has(memberPath)) this.offsets.set(memberPath, keyStart);
      this.whitespace();
      if (this.text[this.pos] !== ':') throw new ScanError(this.pos);
      this.pos++;
      this.value(memberPath);
      this.whitespace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === '}') return;
      if (next !== ',') throw new ScanError(this.pos - 1);
    }
  }

  private array(path: string): void {
    this.pos++;
    this.whitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (let index = 0; ; index++) {
      this.value(indexPath(path, index));
      this.whitespace();
      const next = this.text[this.pos];
      this.pos++;
      if (next === ']') return;
      if (next !== ',') throw new ScanError(this.pos - 1);
    }
  }

  /** Consumes a string token and returns its decoded value. */
  private string(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length) {
      const code = this.text.charCodeAt(this.pos);
      if (code === 0x22) {
        this.pos++;
        try {
          return JSON.parse(this.text.slice(start, this.pos)) as string;
        } catch {
          throw new ScanError(start);
        }
      }
      if (code < 0x20) throw new ScanError(this.pos);
      if (code === 0x5c) this.escape();
      else this.pos++;
    }
    throw new ScanError(this.text.length);
  }

  /** Consumes `\x` or `\uXXXX`, failing where V8 does (at the first bad character). */
  private escape(): void {
    this.pos++;
    const c = this.text[this.pos];
    if (c === 'u') {
      for (let i = 1; i <= 4; i++) {
        if (!/[0-9a-fA-F]/.test(this.text[this.pos + i] ?? '')) throw new ScanError(this.pos + i);
      }
      this.pos += 5;
    } else if (c !== undefined && '"\\/bfnrt'.includes(c)) {
      this.pos++;
    } else {
      throw new ScanError(this.pos);
    }
  }

  private literal(word: string): void {
    for (const expected of word) {
      if (this.text[this.pos] !== expected) throw new ScanError(this.pos);
      this.pos++;
    }
  }

  private number(): void {
    if (this.text[this.pos] === '-' && !/[0-9]/.test(this.text[this.pos + 1] ?? ''))
      throw new ScanError(this.pos + 1);
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match || match[0] === '' || match[0] === '-') throw new ScanError(this.pos);
    this.pos += match[0].length;
  }
}
