/**
 * Rules that look across containers and volumes (§1 of ecs-semantics.md): unique names, at least
 * one essential container, dependsOn targets, cycles, HEALTHY needing a health check, and
 * mountPoints / volumesFrom naming things that exist. Field-level rules live with the readers.
 */
import type { IssueCollector } from './issue-collector.js';
import type { ContainerRead } from './normalise-container.js';
import type { LinkRead } from './read-links.js';

/** Path of the containers array; all shapes report under it so paths are uniform. */
export const CONTAINERS_PATH = 'containerDefinitions';

/** Checks every cross-container rule, recording all violations. */
export function checkContainerRules(
  issues: IssueCollector,
  containers: readonly ContainerRead[],
  volumeNames: ReadonlySet<string>,
): void {
  const byName = checkUniqueNames(issues, containers);
  if (containers.length > 0 && !containers.some((container) => container.definition.essential)) {
    issues.error(CONTAINERS_PATH, 'at least one container must be essential (essential defaults to true)');
  }
  checkDependencies(issues, containers, byName);
  checkCycles(issues, containers, byName);
  for (const container of containers) {
    for (const mount of container.mountPoints) {
      if (!volumeNames.has(mount.sourceVolume)) {
        issues.error(
          mount.path,
          `volume '${mount.sourceVolume}' is not defined in the task definition's volumes`,
        );
      }
    }
    for (const link of container.links) {
      if (link.containerName === container.name) {
        issues.error(link.path, `container '${link.containerName}' cannot link to itself`);
      } else if (!byName.has(link.containerName)) {
        issues.error(
          link.path,
          `Link target not available: container '${link.containerName}' is not defined in this task definition`,
        );
      }
    }
    for (const source of container.volumesFrom) {
      if (source.sourceContainer === container.name) {
        issues.error(source.path, `container '${source.sourceContainer}' cannot mount volumes from itself`);
      } else if (!byName.has(source.sourceContainer)) {
        issues.error(
          source.path,
          `container '${source.sourceContainer}' is not defined in this task definition`,
        );
      }
    }
  }
}

/** Reports duplicate names; returns the first container of each valid name. */
function checkUniqueNames(
  issues: IssueCollector,
  containers: readonly ContainerRead[],
): ReadonlyMap<string, ContainerRead> {
  const byName = new Map<string, ContainerRead>();
  for (const container of containers) {
    if (container.name === undefined) continue;
    const first = byName.get(container.name);
    if (first) {
      issues.error(
        `${container.path}.name`,
        `duplicate container name '${container.name}' (also used by ${first.path}); names must be unique within a task definition`,
      );
    } else {
      byName.set(container.name, container);
    }
  }
  return byName;
}

function checkDependencies(
  issues: IssueCollector,
  containers: readonly ContainerRead[],
  byName: ReadonlyMap<string, ContainerRead>,
): void {
  for (const container of containers) {
    for (const dependency of container.dependencies) {
      const upstream = byName.get(dependency.containerName);
      if (!upstream) {
        issues.error(
          `${dependency.path}.containerName`,
          `Container dependency references container '${dependency.containerName}', which is not defined in this task definition`,
        );
        continue;
      }
      if (dependency.condition === 'HEALTHY' && !upstream.declaresHealthCheck) {
        issues.error(
          `${dependency.path}.condition`,
          `Container dependency condition HEALTHY requires container '${dependency.containerName}' to define a healthCheck`,
        );
      }
      if (
        (dependency.condition === 'COMPLETE' || dependency.condition === 'SUCCESS') &&
        upstream.definition.essential &&
        upstream !== container
      ) {
        issues.warn(
          `${dependency.path}.condition`,
          `condition ${dependency.condition} waits for essential container '${dependency.containerName}' to exit, which stops the task; mark it "essential": false`,
        );
      }
    }
  }
}

/** Depth-first search in declaration order; each back edge is one reported cycle. */
function checkCycles(
  issues: IssueCollector,
  containers: readonly ContainerRead[],
  byName: ReadonlyMap<string, ContainerRead>,
): void {
  const state = new Map<ContainerRead, 'visiting' | 'done'>();
  const visit = (container: ContainerRead): void => {
    state.set(container, 'visiting');
    // A link is an implicit START dependency (engine/links.ts), so it can close a cycle too.
    for (const dependency of [...container.dependencies, ...container.links]) {
      const upstream = byName.get(dependency.containerName);
      if (!upstream) continue;
      const upstreamState = state.get(upstream);
      if (upstreamState === 'visiting') {
        issues.error(
          dependency.path,
          `Container dependency between '${upstream.name ?? ''}' and '${container.name ?? ''}' is cyclic; dependsOn graph must be acyclic${container.links.includes(dependency as LinkRead) ? ' (a link starts its target first)' : ''}`,
        );
      } else if (upstreamState === undefined) {
        visit(upstream);
      }
    }
    state.set(container, 'done');
  };
  for (const container of byName.values()) {
    if (!state.has(container)) visit(container);
  }
}
