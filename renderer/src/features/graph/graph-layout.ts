/**
 * Layered left-to-right layout of a GraphModel with dagre: upstream containers on the left,
 * dependents to their right. Pure (positions in, positions out); a cycle still lays out because
 * dagre breaks it internally.
 */
import dagre from '@dagrejs/dagre';
import type { GraphModel } from './graph-model.js';

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 104;
/** Room dagre keeps free for an edge's label, so labels never sit under a node. */
const LABEL_WIDTH = 190;
const LABEL_HEIGHT = 44;

export interface Positioned {
  readonly id: string;
  /** Top-left corner. */
  readonly x: number;
  readonly y: number;
}

export interface RoutedEdge {
  readonly id: string;
  /** Bend points between the two nodes (dagre's route around other nodes). */
  readonly points: readonly { readonly x: number; readonly y: number }[];
  /** Where the label goes (its centre). */
  readonly label: { readonly x: number; readonly y: number };
}

export interface GraphLayout {
  readonly nodes: readonly Positioned[];
  readonly edges: readonly RoutedEdge[];
}

/** Top-left positions for every node of `model`. */
export function layoutGraph(model: GraphModel): readonly Positioned[] {
  return layoutGraphWithEdges(model).nodes;
}

/** Node positions plus edge routes and label positions. */
export function layoutGraphWithEdges(model: GraphModel): GraphLayout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 60, ranksep: 70, edgesep: 30, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of model.nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of model.edges) {
    if (e.source === e.target) continue;
    g.setEdge(e.source, e.target, { width: LABEL_WIDTH, height: LABEL_HEIGHT, labelpos: 'c' }, e.id);
  }
  dagre.layout(g);
  const nodes = model.nodes.map((n) => {
    const p = g.node(n.id);
    return { id: n.id, x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - NODE_HEIGHT / 2) };
  });
  const edges = model.edges.flatMap((e) => {
    if (e.source === e.target) return [];
    const d = g.edge({ v: e.source, w: e.target, name: e.id }) as
      { points?: { x: number; y: number }[]; x?: number; y?: number } | undefined;
    if (!d?.points || d.x === undefined || d.y === undefined) return [];
    return [{ id: e.id, points: d.points.slice(1, -1), label: { x: d.x, y: d.y } }];
  });
  return { nodes, edges };
}
