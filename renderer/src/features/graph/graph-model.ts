/**
 * Dependency-graph view-model (pure): nodes and edges from a running task, or from a definition's
 * text including its validation problems. Edges point upstream → dependent, as ECS reads
 * `dependsOn` ("app waits for db"), and carry the condition and, live, why a dependent waits.
 */
import type {
  DefinitionIssueView,
  DependencyWait,
  TaskDefinitionView,
  TaskDetail,
} from '../../../../contract/dto.js';

/** What an edge says: statically declared, or live (waiting / met / failed), or invalid. */
export type EdgeState = 'declared' | 'waiting' | 'met' | 'failed' | 'invalid';

export interface GraphNode {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly essential: boolean;
  /** Container lastStatus, or the finer phase when it says more (WAITING, PULLING…). */
  readonly status?: string;
  readonly health?: string;
  readonly exitCode?: number;
  readonly reason?: string;
  /** Validation problems of this container (definition view). */
  readonly problems: readonly string[];
  /** A dependsOn target that does not exist in the task. */
  readonly missing?: boolean;
}

export interface GraphEdge {
  readonly id: string;
  /** Upstream container (the one depended on). */
  readonly source: string;
  /** Dependent container. */
  readonly target: string;
  readonly condition: string;
  readonly state: EdgeState;
  /** Short text drawn on the edge. */
  readonly label: string;
  /** The engine's why-text, or the validation message. */
  readonly detail?: string;
  readonly animated: boolean;
}

export interface GraphModel {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  /** Problems that belong to no container (shown beside the graph). */
  readonly problems: readonly string[];
}

function edgeId(source: string, target: string, condition: string): string {
  return `${source}->${target}:${condition}`;
}

/** Label of a live edge: the condition plus the why-text when it is waiting or failed. */
export function liveEdgeLabel(wait: DependencyWait): string {
  switch (wait.state) {
    case 'met':
      return `${wait.condition} ✓`;
    case 'waiting':
      return `${wait.condition} · ${wait.detail}`;
    case 'failed':
      return `${wait.condition} ✕ ${wait.detail}`;
  }
}

/** Graph of a task as it runs: statuses on nodes, live dependency state on edges. */
export function graphFromTask(task: TaskDetail, def?: TaskDefinitionView | null): GraphModel {
  const nodes: GraphNode[] = task.containers.map((c) => ({
    id: c.name,
    name: c.name,
    image: c.image,
    essential: c.essential,
    status: c.phase === 'WAITING' || c.phase === 'PULLING' || c.phase === 'STOPPING' ? c.phase : c.lastStatus,
    health: c.healthStatus,
    ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    problems: [],
  }));
  const edges: GraphEdge[] = [];
  for (const c of task.containers) {
    const live = new Map(c.dependencies.map((d) => [`${d.containerName}:${d.condition}`, d]));
    // Declared edges first (so an edge exists before the engine evaluates it), then live state.
    const declared = def?.containers.find((d) => d.name === c.name)?.dependsOn ?? [];
    const keys = new Set<string>();
    for (const d of [...declared, ...c.dependencies]) {
      const key = `${d.containerName}:${d.condition}`;
      if (keys.has(key)) continue;
      keys.add(key);
      const wait = live.get(key);
      edges.push({
        id: edgeId(d.containerName, c.name, d.condition),
        source: d.containerName,
        target: c.name,
        condition: d.condition,
        state: wait ? wait.state : 'declared',
        label: wait ? liveEdgeLabel(wait) : d.condition,
        ...(wait && wait.state !== 'met' ? { detail: wait.detail } : {}),
        animated: wait?.state === 'waiting',
      });
    }
  }
  return withMissingNodes(nodes, edges, []);
}

/** Graph of a definition as it validates: declared edges, problems drawn where they are. */
export function graphFromDefinitionView(def: TaskDefinitionView): GraphModel {
  const nodes: GraphNode[] = def.containers.map((c) => ({
    id: c.name,
    name: c.name,
    image: c.image,
    essential: c.essential,
    problems: [],
  }));
  const edges: GraphEdge[] = def.containers.flatMap((c) =>
    c.dependsOn.map((d) => ({
      id: edgeId(d.containerName, c.name, d.condition),
      source: d.containerName,
      target: c.name,
      condition: d.condition,
      state: 'declared' as const,
      label: d.condition,
      animated: false,
    })),
  );
  return withMissingNodes(nodes, edges, []);
}

/** Adds a "missing" node for every edge whose upstream is not a container. */
function withMissingNodes(nodes: GraphNode[], edges: GraphEdge[], problems: string[]): GraphModel {
  const names = new Set(nodes.map((n) => n.id));
  for (const e of edges) {
    if (!names.has(e.source)) {
      names.add(e.source);
      nodes.push({
        id: e.source,
        name: e.source,
        image: '',
        essential: false,
        missing: true,
        problems: [`No container named "${e.source}" in this task`],
      });
    }
  }
  return { nodes, edges, problems };
}

interface LooseContainer {
  readonly name?: unknown;
  readonly image?: unknown;
  readonly essential?: unknown;
  readonly dependsOn?: unknown;
}

/** The containerDefinitions array of any accepted shape, or undefined. */
function looseContainers(doc: unknown): readonly LooseContainer[] | undefined {
  if (Array.isArray(doc)) return doc as LooseContainer[];
  if (typeof doc !== 'object' || doc === null) return undefined;
  const o = doc as Record<string, unknown>;
  const inner = (
    typeof o.taskDefinition === 'object' && o.taskDefinition !== null ? o.taskDefinition : o
  ) as Record<string, unknown>;
  return Array.isArray(inner.containerDefinitions)
    ? (inner.containerDefinitions as LooseContainer[])
    : undefined;
}

const DEP_PATH = /^containerDefinitions\[(\d+)\]\.dependsOn\[(\d+)\]/;
const CONTAINER_PATH = /^containerDefinitions\[(\d+)\]/;

/**
 * Graph of a definition's raw text, so an invalid definition (a cycle, a missing upstream, a bad
 * condition) is still drawn, with each problem on the edge or node its JSON path names. Edges on a
 * dependency cycle are marked invalid even where the validator reported only one of them.
 */
export function graphFromDefinitionText(text: string, errors: readonly DefinitionIssueView[]): GraphModel {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { nodes: [], edges: [], problems: errors.map((e) => e.message) };
  }
  const list = looseContainers(doc) ?? [];
  const nameAt = (i: number): string => {
    const n = list[i]?.name;
    return typeof n === 'string' && n !== '' ? n : `#${i + 1}`;
  };
  const nodeProblems = new Map<number, string[]>();
  const edgeProblems = new Map<string, string>();
  const problems: string[] = [];
  for (const e of errors) {
    const dep = DEP_PATH.exec(e.path);
    const ctr = CONTAINER_PATH.exec(e.path);
    if (dep) edgeProblems.set(`${dep[1]}:${dep[2]}`, e.message);
    else if (ctr) nodeProblems.set(Number(ctr[1]), [...(nodeProblems.get(Number(ctr[1])) ?? []), e.message]);
    else problems.push(e.path ? `${e.path}: ${e.message}` : e.message);
  }
  const nodes: GraphNode[] = list.map((c, i) => ({
    id: nameAt(i),
    name: nameAt(i),
    image: typeof c.image === 'string' ? c.image : '',
    essential: c.essential !== false,
    problems: nodeProblems.get(i) ?? [],
  }));
  const edges: GraphEdge[] = [];
  list.forEach((c, i) => {
    const deps = Array.isArray(c.dependsOn) ? (c.dependsOn as unknown[]) : [];
    deps.forEach((raw, j) => {
      const d = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const source = typeof d.containerName === 'string' ? d.containerName : '?';
      const condition = typeof d.condition === 'string' ? d.condition : '?';
      const problem = edgeProblems.get(`${i}:${j}`);
      edges.push({
        id: `${edgeId(source, nameAt(i), condition)}#${j}`,
        source,
        target: nameAt(i),
        condition,
        state: problem ? 'invalid' : 'declared',
        label: problem ? `${condition} ✕` : condition,
        ...(problem ? { detail: problem } : {}),
        animated: false,
      });
    });
  });
  return withMissingNodes(nodes, markCycles(edges), problems);
}

/** Marks every edge inside a dependency cycle (a strongly connected component) as invalid. */
export function markCycles(edges: readonly GraphEdge[]): GraphEdge[] {
  const adj = new Map<string, string[]>();
  for (const e of edges) adj.set(e.source, [...(adj.get(e.source) ?? []), e.target]);
  // Tarjan's SCC.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const component = new Map<string, number>();
  let comp = 0;
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of adj.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      let w: string | undefined;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.set(w, comp);
      } while (w !== v);
      comp++;
    }
  };
  for (const v of new Set(edges.flatMap((e) => [e.source, e.target]))) if (!idx.has(v)) visit(v);
  return edges.map((e) => {
    const inCycle = e.source === e.target || component.get(e.source) === component.get(e.target);
    if (!inCycle || e.state === 'invalid') return e;
    return {
      ...e,
      state: 'invalid',
      label: `${e.condition} ✕ cycle`,
      detail: e.detail ?? 'Part of a dependency cycle',
    };
  });
}
