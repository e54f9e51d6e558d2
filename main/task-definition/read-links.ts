/**
 * Reads a container's legacy Docker `links` (`"db"` or `"db:database"`). ECS supports them only
 * in bridge network mode, where the agent passes each one to Docker as
 * `<docker name of the target>:<alias>` and starts the target first (see engine/links.ts).
 * Format rule from amazon-ecs-agent agent/api/task/task.go (dockerLinks): more than one `:` is
 * "Invalid link format"; no alias means the container name is the alias.
 */
import type { IssueCollector } from './issue-collector.js';
import { indexPath, keyPath } from './json-path.js';
import type { ContainerLink, NetworkMode } from './model.js';
import { readStringArray } from './read-values.js';

/** A link as read, with its JSON path for the cross-container rules. */
export interface LinkRead {
  readonly containerName: string;
  readonly path: string;
}

/** Docker link aliases are host names: letters, digits, `_`, `-` and `.`. */
const ALIAS_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/;

/** The container's links (undefined when none apply) and their paths. */
export function readLinks(
  issues: IssueCollector,
  raw: Readonly<Record<string, unknown>>,
  path: string,
  networkMode: NetworkMode,
): { links?: ContainerLink[]; reads: LinkRead[] } {
  const values = readStringArray(issues, raw, 'links', path);
  if (!values?.length) return { reads: [] };
  const base = keyPath(path, 'links');
  if (networkMode !== 'bridge') {
    issues.warn(
      base,
      `links apply only in bridge network mode; with networkMode ${networkMode} they are ignored (containers ${networkMode === 'awsvpc' ? 'reach each other on localhost' : networkMode === 'host' ? "share the host's network" : 'have no network'})`,
    );
    return { reads: [] };
  }
  const links: ContainerLink[] = [];
  const reads: LinkRead[] = [];
  values.forEach((value, index) => {
    const itemPath = indexPath(base, index);
    const parts = value.split(':');
    const containerName = parts[0] ?? '';
    const alias = parts.length === 2 ? (parts[1] ?? '') : containerName;
    if (parts.length > 2 || !containerName) {
      issues.error(
        itemPath,
        `Invalid link format '${value}': use "<container name>" or "<container name>:<alias>"`,
      );
      return;
    }
    if (!ALIAS_PATTERN.test(alias)) {
      issues.error(itemPath, `link alias '${alias}' is not a valid host name`);
      return;
    }
    links.push({ containerName, alias });
    reads.push({ containerName, path: itemPath });
  });
  return { links, reads };
}
