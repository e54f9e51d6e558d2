/** Validation errors and warnings, each at its JSON path. */
import type { DefinitionIssueView } from '../../../contract/dto.js';

export function IssueList({
  errors,
  warnings,
  onSelect,
}: {
  errors: readonly DefinitionIssueView[];
  warnings: readonly DefinitionIssueView[];
  onSelect?: (issue: DefinitionIssueView) => void;
}) {
  if (errors.length === 0 && warnings.length === 0) return null;
  const row = (issue: DefinitionIssueView, kind: 'error' | 'warning', i: number) => (
    <li key={`${kind}-${i}`} className={`issue issue-${kind}`} data-testid={`issue-${kind}`}>
      <span className="issue-kind">{kind === 'error' ? 'Error' : 'Warning'}</span>
      <button
        type="button"
        className="issue-path"
        disabled={!onSelect}
        onClick={() => onSelect?.(issue)}
        title={issue.line !== undefined ? `line ${issue.line}, column ${issue.column ?? 1}` : undefined}
      >
        {issue.path === '' ? '(document)' : issue.path}
        {issue.line !== undefined && <span className="issue-line"> · line {issue.line}</span>}
      </button>
      <span className="issue-message">{issue.message}</span>
    </li>
  );
  return (
    <ul className="issues" aria-label="Validation issues">
      {errors.map((e, i) => row(e, 'error', i))}
      {warnings.map((w, i) => row(w, 'warning', i))}
    </ul>
  );
}
