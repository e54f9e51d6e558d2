/**
 * Topological launch order of a task's containers, as levels: every container of a level depends
 * only on containers of earlier levels, and each level keeps declaration order. Containers of one
 * level have no dependency between them and may start concurrently (§4 of ecs-semantics.md).
 * Stop order is the reverse.
 */
import type { ContainerDefinition } from './model.js';

/** What launchOrder needs of a task definition (a full `TaskDefinition` fits). */
export interface LaunchOrderInput {
  readonly containerDefinitions: readonly Pick<ContainerDefinition, 'name' | 'dependsOn'>[];
}

/**
 * Container names grouped by launch level, e.g. `[["db", "cache"], ["migrate"], ["app"]]`.
 * Dependencies on unknown names are ignored. Throws on a cycle, which validation refuses.
 */
export function launchOrder(definition: LaunchOrderInput): string[][] {
  const containers = definition.containerDefinitions;
  const byName = new Map(containers.map((container) => [container.name, container]));
  const levels = new Map<string, number>();
  const visiting = new Set<string>();

  const levelOf = (name: string): number => {
    const known = levels.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) throw new Error(`launchOrder: dependency cycle through container '${name}'`);
    visiting.add(name);
    let level = 0;
    for (const dependency of byName.get(name)?.dependsOn ?? []) {
      if (byName.has(dependency.containerName))
        level = Math.max(level, levelOf(dependency.containerName) + 1);
    }
    visiting.delete(name);
    levels.set(name, level);
    return level;
  };

  const result: string[][] = [];
  for (const container of containers) {
    const level = levelOf(container.name);
    while (result.length <= level) result.push([]);
    const names = result[level];
    if (names && !names.includes(container.name)) names.push(container.name);
  }
  return result;
}

/** The reverse of `launchOrder`: dependents stop before what they depend on. */
export function stopOrder(definition: LaunchOrderInput): string[][] {
  return launchOrder(definition).reverse();
}
