/**
 * elbv2 `Matcher.HttpCode` for HTTP target groups: single codes and ranges separated by commas
 * ("200", "200,202", "200-299", "200,300-399"), each code within 200–499 as on ALB. Pure.
 */

/** A parsed matcher: inclusive code ranges. */
export interface HttpCodeMatcher {
  readonly text: string;
  readonly ranges: readonly (readonly [number, number])[];
}

/** ALB's bounds for HTTP success codes. */
export const MIN_HTTP_CODE = 200;
export const MAX_HTTP_CODE = 499;

const CODE = /^\d{3}$/;

/** Parses `HttpCode`; a message naming the bad part when it is not valid. */
export function parseHttpCodeMatcher(
  text: string,
):
  | { readonly ok: true; readonly matcher: HttpCodeMatcher }
  | { readonly ok: false; readonly message: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'HttpCode must not be empty (e.g. "200" or "200-299")' };
  const ranges: [number, number][] = [];
  for (const rawPart of trimmed.split(',')) {
    const part = rawPart.trim();
    const bounds = part.split('-').map((s) => s.trim());
    if (bounds.length > 2 || !bounds.every((b) => CODE.test(b))) {
      return {
        ok: false,
        message: `"${part}" is not an HTTP code or range (use "200", "200,202" or "200-299")`,
      };
    }
    const lo = Number(bounds[0]);
    const hi = Number(bounds[bounds.length - 1]);
    for (const code of [lo, hi]) {
      if (code < MIN_HTTP_CODE || code > MAX_HTTP_CODE) {
        return {
          ok: false,
          message: `HTTP code ${code} is outside ${MIN_HTTP_CODE}–${MAX_HTTP_CODE} (the codes an ALB health check accepts)`,
        };
      }
    }
    if (lo > hi) return { ok: false, message: `range "${part}" ends before it starts` };
    ranges.push([lo, hi]);
  }
  return { ok: true, matcher: { text: trimmed, ranges } };
}

/** Whether `statusCode` counts as a passing health check under `matcher`. */
export function matchesHttpCode(matcher: HttpCodeMatcher, statusCode: number): boolean {
  return matcher.ranges.some(([lo, hi]) => statusCode >= lo && statusCode <= hi);
}
