/**
 * Search field with regex and case options, "only matching lines" (a filter by the query), match
 * count, previous/next (Shift+Enter / Enter).
 */
export function LogSearchBar({
  query,
  onQuery,
  regex,
  onRegex,
  caseSensitive,
  onCaseSensitive,
  error,
  count,
  current,
  onStep,
  onlyMatching,
  onOnlyMatching,
  searching,
}: {
  query: string;
  onQuery: (q: string) => void;
  regex: boolean;
  onRegex: (v: boolean) => void;
  caseSensitive: boolean;
  onCaseSensitive: (v: boolean) => void;
  error: string | undefined;
  count: number;
  current: number | undefined;
  onStep: (dir: 1 | -1) => void;
  onlyMatching: boolean;
  onOnlyMatching: (v: boolean) => void;
  /** Still scanning (the count grows). */
  searching: boolean;
}) {
  return (
    <div className="log-search">
      <input
        className={`input log-search-input${error ? ' input-invalid' : ''}`}
        type="search"
        placeholder={regex ? 'Search (regular expression)' : 'Search logs'}
        aria-label="Search logs"
        value={query}
        onChange={(e) => onQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            onStep(e.shiftKey ? -1 : 1);
          }
        }}
      />
      <label className="check" title="Regular expression">
        <input type="checkbox" checked={regex} onChange={(e) => onRegex(e.target.checked)} /> .* Regex
      </label>
      <label className="check" title="Match case">
        <input type="checkbox" checked={caseSensitive} onChange={(e) => onCaseSensitive(e.target.checked)} />{' '}
        Aa
      </label>
      <label className="check" title="Show only the lines that match (filter by the search)">
        <input type="checkbox" checked={onlyMatching} onChange={(e) => onOnlyMatching(e.target.checked)} />{' '}
        Only matching
      </label>
      <span
        className={`small tabular ${error ? 'text-error' : 'muted'}`}
        data-testid="log-match-count"
        data-searching={searching || undefined}
      >
        {error
          ? error
          : query
            ? `${current !== undefined ? current + 1 : 0} / ${count.toLocaleString()}`
            : ''}
      </span>
      <button
        className="button button-small"
        disabled={count === 0}
        onClick={() => onStep(-1)}
        aria-label="Previous match"
        title="Previous (Shift+Enter)"
      >
        ↑
      </button>
      <button
        className="button button-small"
        disabled={count === 0}
        onClick={() => onStep(1)}
        aria-label="Next match"
        title="Next (Enter)"
      >
        ↓
      </button>
    </div>
  );
}
