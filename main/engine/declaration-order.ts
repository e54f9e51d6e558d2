/**
 * Semantics §4: "containers with no dependency between them keep declaration order and may start
 * concurrently". Docker calls run concurrently, so without a rule the daemon's answer order (an
 * image inspect, a create) decides which container goes first. The rule: a container's create
 * (or start) is not issued while an earlier-declared container that does not depend on it has not
 * had its own create (or start) issued yet. Earlier containers that wait on their dependencies
 * never hold anyone back, so the rule cannot deadlock.
 */
import type { ContainerPhase } from '../../contract/dto.js';

/** What the rule reads of a container. */
export interface OrderedContainer {
  readonly name: string;
  readonly phase: ContainerPhase;
  readonly op?: 'pull' | 'create' | 'start' | 'stop' | 'kill' | undefined;
  readonly def: {
    readonly dependsOn: readonly { readonly containerName: string }[];
    readonly volumesFrom: readonly { readonly sourceContainer: string }[];
    /** bridge links: the target starts first (an implicit START dependency, see links.ts). */
    readonly links?: readonly { readonly containerName: string }[];
  };
}

export type LaunchStep = 'create' | 'start';

/** True when `x` will reach `step` without waiting on a dependency but has not issued it yet. */
function stepPending(x: OrderedContainer, step: LaunchStep): boolean {
  if (step === 'create')
    return (x.phase === 'NONE' || x.phase === 'PULLING' || x.phase === 'PULLED') && x.op !== 'create';
  return (
    (x.phase === 'NONE' || x.phase === 'PULLING' || x.phase === 'PULLED' || x.phase === 'CREATED') &&
    x.op !== 'start'
  );
}

/** Whether `from` needs `target` first (dependsOn, volumesFrom or links, transitively). */
function needs(
  from: OrderedContainer,
  target: string,
  byName: ReadonlyMap<string, OrderedContainer>,
): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const x = stack.pop()!;
    const next = [
      ...x.def.dependsOn.map((d) => d.containerName),
      ...x.def.volumesFrom.map((v) => v.sourceContainer),
      ...(x.def.links ?? []).map((l) => l.containerName),
    ];
    for (const name of next) {
      if (name === target) return true;
      if (seen.has(name)) continue;
      seen.add(name);
      const c = byName.get(name);
      if (c) stack.push(c);
    }
  }
  return false;
}

/** True when `containers[index]` must not issue `step` yet, to keep declaration order. */
export function heldByDeclarationOrder(
  containers: readonly OrderedContainer[],
  index: number,
  step: LaunchStep,
): boolean {
  const c = containers[index];
  if (!c) return false;
  let byName: Map<string, OrderedContainer> | undefined;
  for (let i = 0; i < index; i++) {
    const x = containers[i]!;
    if (!stepPending(x, step)) continue;
    byName ??= new Map(containers.map((y) => [y.name, y] as const));
    if (!needs(x, c.name, byName)) return true;
  }
  return false;
}
