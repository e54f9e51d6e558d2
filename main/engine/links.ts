/**
 * Legacy Docker links in bridge mode, as the ECS agent applies them:
 *  - each link becomes HostConfig.Links `<docker name of the target>:<alias>`
 *    (amazon-ecs-agent agent/api/task/task.go, dockerLinks);
 *  - a linked container is an implicit START dependency of the linking one, so the target is
 *    created and running first (Docker refuses to link to a container that does not run)
 *    (amazon-ecs-agent agent/api/task/task.go, initializeContainerOrderingForLinks, which adds a
 *    START condition per link).
 * Links only work on Docker's default bridge, which is where Taskdeck's bridge tasks run.
 */
import type { ContainerDefinition, ContainerDependency } from '../task-definition/model.js';

/** dependsOn plus a START dependency per link target not already waited on until started or healthy. */
export function effectiveDependsOn(def: ContainerDefinition): readonly ContainerDependency[] {
  const links = def.links ?? [];
  if (!links.length) return def.dependsOn;
  const deps = [...def.dependsOn];
  for (const link of links) {
    const covered = deps.some(
      (d) => d.containerName === link.containerName && (d.condition === 'START' || d.condition === 'HEALTHY'),
    );
    if (!covered) deps.push({ containerName: link.containerName, condition: 'START' });
  }
  return deps;
}

/** HostConfig.Links for `def`; throws naming the link when its target has no Docker name. */
export function dockerLinks(
  def: ContainerDefinition,
  dockerNameOf: (containerName: string) => string | undefined,
): string[] {
  return (def.links ?? []).map((link) => {
    const target = dockerNameOf(link.containerName);
    if (!target) throw new Error(`links: Link target not available: ${link.containerName}`);
    return `${target}:${link.alias}`;
  });
}
