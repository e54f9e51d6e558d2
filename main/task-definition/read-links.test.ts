import { describe, expect, test } from 'vitest';
import { validateTaskDefinitionObject } from './parse-task-definition.js';

// Task-level memory: ECS refuses EC2-compatible containers without any memory setting.
const def = (networkMode: string, containers: unknown[]) => ({
  family: 'f',
  networkMode,
  memory: '512',
  containerDefinitions: containers,
});

describe('links in a task definition', () => {
  test('bridge: "name" and "name:alias" are read, no warning', () => {
    const r = validateTaskDefinitionObject(
      def('bridge', [
        { name: 'app', image: 'i', links: ['db', 'db:database'] },
        { name: 'db', image: 'i' },
      ]),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.warnings).toEqual([]);
    expect(r.taskDefinition.containerDefinitions[0]?.links).toEqual([
      { containerName: 'db', alias: 'db' },
      { containerName: 'db', alias: 'database' },
    ]);
  });

  test('refuses a bad format, a missing target, a self link and a link cycle, naming the path', () => {
    const r = validateTaskDefinitionObject(
      def('bridge', [
        { name: 'a', image: 'i', links: ['b:x:y', 'nope', 'a'] },
        { name: 'b', image: 'i', links: ['c'] },
        { name: 'c', image: 'i', links: ['b'] },
      ]),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const byPath = Object.fromEntries(r.errors.map((e) => [e.path, e.message]));
    expect(byPath['containerDefinitions[0].links[0]']).toMatch(/Invalid link format 'b:x:y'/);
    expect(byPath['containerDefinitions[0].links[1]']).toMatch(/Link target not available: container 'nope'/);
    expect(byPath['containerDefinitions[0].links[2]']).toMatch(/cannot link to itself/);
    expect(r.errors.some((e) => /is cyclic.*a link starts its target first/.test(e.message))).toBe(true);
  });

  test('other network modes: a warning, and no links applied', () => {
    const r = validateTaskDefinitionObject(
      def('awsvpc', [
        { name: 'app', image: 'i', links: ['db'] },
        { name: 'db', image: 'i' },
      ]),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.warnings).toEqual([
      expect.objectContaining({
        path: 'containerDefinitions[0].links',
        message: expect.stringMatching(/only in bridge network mode.*localhost/),
      }),
    ]);
    expect(r.taskDefinition.containerDefinitions[0]?.links).toBeUndefined();
  });
});
