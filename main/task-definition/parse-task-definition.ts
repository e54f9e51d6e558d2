/**
 * Entry point of the task-definition module: text (or an already-parsed value) in, a normalised
 * `TaskDefinition` or every problem out. Pure: no I/O.
 *
 * Accepted shapes:
 * - RegisterTaskDefinition input (`aws ecs register-task-definition --cli-input-json`);
 * - DescribeTaskDefinition output (`{"taskDefinition": {...}, "tags": [...]}`);
 * - a bare `containerDefinitions` array (Terraform's `container_definitions`).
 *
 * Issue paths are always relative to the task-definition object, whatever the shape: a problem in
 * the second container is `containerDefinitions[1].name` in all three shapes (no `taskDefinition.`
 * prefix for DescribeTaskDefinition output, no bare `[1].name` for an array), so the UI and tests
 * need not care which shape a file used. Line and column still point into the file as written.
 */
import { findHostAccess, type HostAccessSetting } from './host-access.js';
import { IssueCollector, type Locator } from './issue-collector.js';
import { parseJsonDocument } from './json-location.js';
import { DESCRIBE_WRAPPER_FIELDS, suggestField } from './known-fields.js';
import type { ParseResult } from './model.js';
import { readTaskDefinition } from './normalise-task.js';
import { describeValue, isJsonObject, type JsonObject } from './read-values.js';

/** Which of the accepted input shapes a document uses. */
export type DefinitionShape = 'register-input' | 'describe-output' | 'container-definitions';

/** Family used for a bare containerDefinitions array when there is no file name. */
export const DEFAULT_FAMILY = 'taskdeck-local';

export interface ParseOptions {
  /** The file the text came from; a bare containerDefinitions array takes its family from it. */
  readonly fileName?: string;
}

export interface ValidateOptions extends ParseOptions {
  /** Maps an issue path (relative to the task definition) to a source location, when known. */
  readonly locate?: Locator;
}

/** Parses and validates task-definition JSON text in any accepted shape. */
export function parseTaskDefinition(text: string, options: ParseOptions = {}): ParseResult {
  const document = parseJsonDocument(text);
  if (!document.ok) return { ok: false, errors: [document.error], warnings: [] };
  const shape = detectShape(document.value);
  const locate: Locator = (path) => document.locate(documentPath(shape, path));
  return validateTaskDefinitionObject(document.value, { ...options, locate });
}

/** Validates an already-parsed JSON value in any accepted shape (e.g. from the UI's editor). */
export function validateTaskDefinitionObject(value: unknown, options: ValidateOptions = {}): ParseResult {
  const issues = new IssueCollector(options.locate);
  const shape = detectShape(value);
  let task: JsonObject | undefined;
  if (shape === 'container-definitions') {
    task = { family: familyFromFileName(options.fileName), containerDefinitions: value };
  } else if (shape === 'describe-output' && isJsonObject(value)) {
    checkWrapperFields(issues, value);
    task = value.taskDefinition as JsonObject;
  } else if (isJsonObject(value)) {
    task = value;
  } else {
    issues.error(
      '',
      `expected a task definition object, a DescribeTaskDefinition output ({"taskDefinition": {...}}) or a containerDefinitions array, got ${describeValue(value)}`,
    );
  }
  const taskDefinition =
    task && readTaskDefinition(issues, task, { containersOnly: shape === 'container-definitions' });
  if (task) checkDefinitionSize(issues, shape === 'container-definitions' ? value : task);
  if (issues.errors.length === 0 && taskDefinition) {
    for (const access of findHostAccess(taskDefinition)) issues.warn(access.path, hostAccessWarning(access));
  }
  if (issues.errors.length > 0 || !taskDefinition) {
    return { ok: false, errors: issues.errors, warnings: issues.warnings };
  }
  return { ok: true, taskDefinition, warnings: issues.warnings };
}

/** ECS refuses a task definition larger than this as JSON (service quota, not adjustable). */
export const MAX_DEFINITION_BYTES = 64 * 1024;

/** The definition's size as compact UTF-8 JSON, which is what RegisterTaskDefinition sends. */
function checkDefinitionSize(issues: IssueCollector, definition: unknown): void {
  const bytes = new TextEncoder().encode(JSON.stringify(definition)).length;
  if (bytes > MAX_DEFINITION_BYTES) {
    issues.error(
      '',
      `the task definition is ${bytes} bytes as compact JSON; ECS refuses task definitions larger than 64 KiB (${MAX_DEFINITION_BYTES} bytes): move large values (e.g. inline config in environment) to environmentFiles, secrets or the image`,
    );
  }
}

/** Tells the accepted shapes apart; anything else is treated as RegisterTaskDefinition input. */
export function detectShape(value: unknown): DefinitionShape {
  if (Array.isArray(value)) return 'container-definitions';
  if (isJsonObject(value) && isJsonObject(value.taskDefinition)) return 'describe-output';
  return 'register-input';
}

/**
 * Family for a bare containerDefinitions array: the file name without directory and extension,
 * with characters ECS refuses replaced by `-`; `taskdeck-local` without a usable file name.
 */
export function familyFromFileName(fileName: string | undefined): string {
  if (!fileName) return DEFAULT_FAMILY;
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  const family = stem.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255);
  return /[A-Za-z0-9]/.test(family) ? family : DEFAULT_FAMILY;
}

/** Issue path (relative to the task definition) → path in the document as written. */
function documentPath(shape: DefinitionShape, path: string): string {
  switch (shape) {
    case 'register-input':
      return path;
    case 'describe-output':
      return path === ''
        ? 'taskDefinition'
        : path.startsWith('[')
          ? `taskDefinition${path}`
          : `taskDefinition.${path}`;
    case 'container-definitions':
      return path.startsWith('containerDefinitions')
        ? path.slice('containerDefinitions'.length).replace(/^\./, '')
        : '';
  }
}

/** Unknown keys next to `taskDefinition`: reported at the root, since paths are task-relative. */
function checkWrapperFields(issues: IssueCollector, wrapper: JsonObject): void {
  for (const key of Object.keys(wrapper)) {
    if (Object.hasOwn(DESCRIBE_WRAPPER_FIELDS, key)) continue;
    const suggestion = suggestField(key, Object.keys(DESCRIBE_WRAPPER_FIELDS));
    issues.warn(
      '',
      `unknown field '${key}' next to taskDefinition is ignored${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
    );
  }
}

/** The validation warning for one host-access setting (valid in ECS, run only when confirmed). */
export function hostAccessWarning(access: HostAccessSetting): string {
  return `host access: ${access.setting}: ${access.message}; runs only when you confirm it (app) or pass --allow-host-access (CLI)`;
}
