/**
 * Typed readers over untrusted JSON: each returns the value when it is valid, otherwise records a
 * human error at the exact path and returns undefined, so a caller can keep going and report
 * every problem. `null` counts as absent (Terraform's jsonencode writes nulls for unset fields).
 */
import type { IssueCollector } from './issue-collector.js';
import { checkFields, type FieldTable } from './known-fields.js';
import { indexPath, keyPath } from './json-path.js';

export type JsonObject = Readonly<Record<string, unknown>>;

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when the value is set (neither undefined nor null). */
export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** Describes a JSON value for messages: `string "512"`, `number 3.5`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

interface Required {
  readonly required?: boolean;
}

function missing(issues: IssueCollector, key: string, path: string, options: Required): undefined {
  if (options.required) issues.error(path, `${key} is required`);
  return undefined;
}

/** A string field; `nonEmpty` also refuses `""`. */
export function readString(
  issues: IssueCollector,
  object: JsonObject,
  key: string,
  base: string,
  options: Required & { readonly nonEmpty?: boolean } = {},
): string | undefined {
  const path = keyPath(base, key);
  const value = object[key];
  if (!isPresent(value)) return missing(issues, key, path, options);
  if (typeof value !== 'string') {
    issues.error(path, `${key} must be a string, got ${describeValue(value)}`);
    return undefined;
  }
  if (options.nonEmpty && value.trim() === '') {
    issues.error(path, `${key} must not be empty`);
    return undefined;
  }
  return value;
}

/** A boolean field. */
export function readBoolean(
  issues: IssueCollector,
  object: JsonObject,
  key: string,
  base: string,
): boolean | undefined {
  const path = keyPath(base, key);
  const value = object[key];
  if (!isPresent(value)) return undefined;
  if (typeof value !== 'boolean') {
    issues.error(path, `${key} must be true or false, got ${describeValue(value)}`);
    return undefined;
  }
  return value;
}

export interface IntegerOptions extends Required {
  readonly min?: number;
  readonly max?: number;
  /** Appended to the bounds in messages, e.g. ` seconds`. */
  readonly unit?: string;
}

/** Checks that `value` is an integer within bounds; records an error at `path` otherwise. */
export function checkInteger(
  issues: IssueCollector,
  value: unknown,
  label: string,
  path: string,
  options: IntegerOptions = {},
): number | undefined {
  const unit = options.unit ?? '';
  const { min, max } = options;
  const bounds =
    min !== undefined && max !== undefined
      ? ` between ${min} and ${max}${unit}`
      : min !== undefined
        ? ` of at least ${min}${unit}`
        : max !== undefined
          ? ` of at most ${max}${unit}`
          : '';
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    issues.error(path, `${label} must be an integer${bounds}, got ${describeValue(value)}`);
    return undefined;
  }
  if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
    issues.error(path, `${label} must be an integer${bounds}, got ${value}`);
    return undefined;
  }
  return value;
}

/** An integer field, optionally bounded. */
export function readInteger(
  issues: IssueCollector,
  object: JsonObject,
  key: string,
  base: string,
  options: IntegerOptions = {},
): number | undefined {
  const path = keyPath(base, key);
  const value = object[key];
  if (!isPresent(value)) return missing(issues, key, path, options);
  return checkInteger(issues, value, key, path, options);
}

/** A string field restricted to `values` (case-sensitive, as ECS is). */
export function readEnum<T extends string>(
  issues: IssueCollector,
  object: JsonObject,
  key: string,
  base: string,
  values: readonly T[],
  options: Required = {},
): T | undefined {
  const path = keyPath(base, key);
  const value = object[key];
  if (!isPresent(value)) return missing(issues, key, path, options);
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    const got = typeof value === 'string' ? `'${value}'` : describeValue(value);
    issues.error(path, `${key} must be one of ${values.join(', ')}, got ${got}`);
    return undefined;
  }
  return value as T;
}

/** An array of strings; invalid elements are reported and dropped. */
export function readStringArray(
  issues: IssueCollector,
  object: JsonObject,
  key: string,
  base: string,
): string[] | undefined {
  const path = keyPath(base, key);
  const value = object[key];
  if (!isPresent(value)) return undefined;
  if (!Array.isArray(value)) {
    issues.error(path, `${key} must be an array of strings, got ${describeValue(value)}`);
    return undefined;
  }
  const result: string[] = [];
  value.forEach((item: unknown, index) => {
    if (typeof item === 'string') result.push(item);
    else
      issues.error(indexPath(path, index), `${key}[${index}] must be a string, got ${describeValue(item)}`);
  });
  return result;
}

/** A `{ "key": "value" }` map of strings (dockerLabels, log options, driverOpts…). */
export function readStringMap(
  issues: IssueCollector,
  object: JsonObject,
  key: string,
  base: string,
): Record<string, string> | undefined {
  const path = keyPath(base, key);
  const value = object[key];
  if (!isPresent(value)) return undefined;
  if (!isJsonObject(value)) {
    issues.error(path, `${key} must be an object of string values, got ${describeValue(value)}`);
    return undefined;
  }
  const result: Record<string, string> = {};
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === 'string') result[name] = item;
    else
      issues.error(
        keyPath(path, name),
        `${key} value '${name}' must be a string, got ${describeValue(item)}`,
      );
  }
  return result;
}

/** A nested object: type-checked, and its fields checked against `table`. */
export function readObject(
  issues: IssueCollector,
  object: JsonObject,
  key: string,
  base: string,
  table: FieldTable,
  options: Required = {},
): JsonObject | undefined {
  const path = keyPath(base, key);
  const value = object[key];
  if (!isPresent(value)) return missing(issues, key, path, options);
  if (!isJsonObject(value)) {
    issues.error(path, `${key} must be an object, got ${describeValue(value)}`);
    return undefined;
  }
  checkFields(issues, value, table, path);
  return value;
}

/**
 * An array of objects, each checked against `table` and converted by `read`; elements that are
 * not objects, or for which `read` returns undefined, are dropped (their errors are recorded).
 */
export function readObjectArray<T>(
  issues: IssueCollector,
  object: JsonObject,
  key: string,
  base: string,
  table: FieldTable,
  read: (item: JsonObject, itemPath: string, index: number) => T | undefined,
): T[] | undefined {
  const path = keyPath(base, key);
  const value = object[key];
  if (!isPresent(value)) return undefined;
  if (!Array.isArray(value)) {
    issues.error(path, `${key} must be an array, got ${describeValue(value)}`);
    return undefined;
  }
  const result: T[] = [];
  value.forEach((item: unknown, index) => {
    const itemPath = indexPath(path, index);
    if (!isJsonObject(item)) {
      issues.error(itemPath, `${key}[${index}] must be an object, got ${describeValue(item)}`);
      return;
    }
    checkFields(issues, item, table, itemPath);
    const converted = read(item, itemPath, index);
    if (converted !== undefined) result.push(converted);
  });
  return result;
}

/** Drops keys whose value is undefined, so normalised objects serialise cleanly. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
