/**
 * Collects every error and warning of one parse (validation never stops at the first problem),
 * attaching a source location when the document is known.
 */
import type { SourceLocation } from './json-location.js';
import type { DefinitionIssue } from './model.js';

/** Maps an issue path to where it is in the source text, when known. */
export type Locator = (path: string) => SourceLocation | undefined;

/** Accumulates issues for one parse. */
export class IssueCollector {
  readonly errors: DefinitionIssue[] = [];
  readonly warnings: DefinitionIssue[] = [];

  constructor(private readonly locate: Locator = () => undefined) {}

  error(path: string, message: string): void {
    this.errors.push(this.issue(path, message));
  }

  warn(path: string, message: string): void {
    this.warnings.push(this.issue(path, message));
  }

  private issue(path: string, message: string): DefinitionIssue {
    const location = this.locate(path);
    return location ? { path, message, line: location.line, column: location.column } : { path, message };
  }
}
