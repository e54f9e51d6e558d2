/** The results table (stdout) and its rows. */

/** One line of the table; `pass` undefined means informational (no target). */
export interface ResultRow {
  readonly metric: string;
  readonly value: string;
  readonly target: string;
  readonly pass?: boolean;
}

/** Renders rows as a fixed-width text table. */
export function formatTable(rows: readonly ResultRow[]): string {
  const cells = rows.map((r) => [
    r.metric,
    r.value,
    r.target,
    r.pass === undefined ? 'info' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const header = ['metric', 'value', 'target', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line)].join('\n');
}

/** `12.3 ms`. */
export const ms = (x: number): string => `${Number.isFinite(x) ? x.toFixed(1) : 'n/a'} ms`;
