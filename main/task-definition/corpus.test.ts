/**
 * The public task-definition corpus (fixtures/task-definitions-corpus, origins in its SOURCES.md):
 * every file is accepted or refused exactly as RegisterTaskDefinition would, for the reason
 * expectations.json gives. Adding a file without an expectation (or the reverse) fails.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTaskDefinition } from './parse-task-definition.js';

const ROOT = fileURLToPath(new URL('../../fixtures/task-definitions-corpus/', import.meta.url));

interface Expectation {
  readonly verdict: 'accept' | 'refuse';
  /** Refused: a substring of one of the errors. */
  readonly reason?: string;
  /** Accepted: a substring of one of the warnings, when the file needs one. */
  readonly warning?: string;
  /** The ECS rule behind the verdict, for the reader. */
  readonly ecs?: string;
}

const expectations = JSON.parse(readFileSync(join(ROOT, 'expectations.json'), 'utf8')) as Record<
  string,
  Expectation
>;
const files = readdirSync(ROOT, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) => readdirSync(join(ROOT, dir.name)).map((name) => `${dir.name}/${name}`))
  .sort();
const sources = readFileSync(join(ROOT, 'SOURCES.md'), 'utf8');

describe('public task-definition corpus', () => {
  it('has at least 50 files, each with an expectation and a SOURCES.md entry', () => {
    expect(files.length).toBeGreaterThanOrEqual(50);
    expect(Object.keys(expectations).sort()).toEqual(files);
    for (const file of files) expect(sources).toContain(`| \`${file}\` |`);
  });

  it('covers AWS docs, aws-samples, sidecars, Terraform and GitHub Actions', () => {
    const groups = new Set(files.map((file) => file.split('/')[0]));
    expect([...groups].sort()).toEqual([
      'adot-collector',
      'aws-docs',
      'firelens-examples',
      'github-actions',
      'terraform',
    ]);
  });

  it.each(files)('%s', (file) => {
    const expected = expectations[file]!;
    const result = parseTaskDefinition(readFileSync(join(ROOT, file), 'utf8'), {
      fileName: file.split('/')[1],
    });
    if (expected.verdict === 'refuse') {
      expect(result.ok, 'ECS refuses this file').toBe(false);
      const messages = result.ok ? [] : result.errors.map((issue) => `${issue.path}: ${issue.message}`);
      expect(
        messages.some((message) => message.includes(expected.reason!)),
        messages.join('\n'),
      ).toBe(true);
    } else {
      const errors = result.ok ? [] : result.errors.map((issue) => `${issue.path}: ${issue.message}`);
      expect(errors, 'ECS accepts this file').toEqual([]);
      if (expected.warning) {
        expect(result.warnings.some((issue) => issue.message.includes(expected.warning!))).toBe(true);
      }
    }
  });
});
