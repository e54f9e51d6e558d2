/** Shared helpers for this folder's tests (not used by production code). */
import type { ParseResult, TaskDefinition } from './model.js';
import { parseTaskDefinition } from './parse-task-definition.js';

/**
 * A minimal valid container, with overrides. It reserves memory because ECS refuses a container
 * with neither `memory` nor `memoryReservation` when the task has no memory and may run on EC2.
 */
export function container(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, image: 'busybox:1.36', memoryReservation: 64, ...extra };
}

/** Task-level fields of the smallest Fargate size, for FARGATE definitions in tests. */
export const FARGATE_TASK = { requiresCompatibilities: ['FARGATE'], cpu: '256', memory: '512' } as const;

/** A RegisterTaskDefinition input with the given containers and task fields. */
export function register(containers: unknown[], task: Record<string, unknown> = {}): Record<string, unknown> {
  return { family: 'test', ...task, containerDefinitions: containers };
}

/** Parses a value serialised as JSON. */
export function parseValue(value: unknown, fileName?: string): ParseResult {
  return parseTaskDefinition(JSON.stringify(value, null, 2), fileName === undefined ? {} : { fileName });
}

/** `path: message` of every error (empty when valid). */
export function errorLines(value: unknown): string[] {
  const result = parseValue(value);
  return result.ok ? [] : result.errors.map((issue) => `${issue.path}: ${issue.message}`);
}

/** `path: message` of every warning. */
export function warningLines(value: unknown): string[] {
  return parseValue(value).warnings.map((issue) => `${issue.path}: ${issue.message}`);
}

/** The normalised task definition; throws with the errors when invalid. */
export function valid(value: unknown, fileName?: string): TaskDefinition {
  const result = parseValue(value, fileName);
  if (!result.ok) throw new Error(result.errors.map((issue) => `${issue.path}: ${issue.message}`).join('\n'));
  return result.taskDefinition;
}
