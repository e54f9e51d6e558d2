/**
 * Log search (pure): a query (plain text or a regular expression) → a matcher that finds the
 * ranges to highlight in a line, the list of matching line indices, and next/previous navigation.
 */

export interface SearchOptions {
  readonly regex: boolean;
  readonly caseSensitive: boolean;
}

export interface Range {
  readonly start: number;
  readonly end: number;
}

export type Matcher =
  | { readonly ok: true; readonly empty: boolean; test(text: string): boolean; ranges(text: string): Range[] }
  | { readonly ok: false; readonly error: string };

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Builds a matcher; an invalid regular expression comes back as `{ok: false, error}`. */
export function buildMatcher(query: string, options: SearchOptions): Matcher {
  if (query === '') return { ok: true, empty: true, test: () => false, ranges: () => [] };
  let re: RegExp;
  try {
    re = new RegExp(options.regex ? query : escapeRegExp(query), options.caseSensitive ? 'g' : 'gi');
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
  const test = (text: string): boolean => {
    re.lastIndex = 0;
    return re.test(text);
  };
  const ranges = (text: string): Range[] => {
    const out: Range[] = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      // An empty match (e.g. /a*/) would loop forever; step past it and do not highlight it.
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      out.push({ start: m.index, end: m.index + m[0].length });
    }
    return out;
  };
  return { ok: true, empty: false, test, ranges };
}

/** Indices (into `count` lines read by `textAt`) of the lines that match. */
export function findMatches(count: number, textAt: (i: number) => string, matcher: Matcher): number[] {
  if (!matcher.ok || matcher.empty) return [];
  const out: number[] = [];
  for (let i = 0; i < count; i++) if (matcher.test(textAt(i))) out.push(i);
  return out;
}

/**
 * The next (dir 1) or previous (dir -1) position in `matches`, wrapping around. With no current
 * position, "next" starts at the first match at or after `from` and "previous" at the last before.
 */
export function stepMatch(
  matches: readonly number[],
  current: number | undefined,
  dir: 1 | -1,
  from = 0,
): number | undefined {
  if (matches.length === 0) return undefined;
  if (current === undefined) {
    if (dir === 1) {
      const i = matches.findIndex((m) => m >= from);
      return i === -1 ? 0 : i;
    }
    for (let i = matches.length - 1; i >= 0; i--) if (matches[i]! < from) return i;
    return matches.length - 1;
  }
  return (current + dir + matches.length) % matches.length;
}
