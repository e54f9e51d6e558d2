/** The dependency graph (React Flow + dagre layout), live for a task or static for a definition. */
import '@xyflow/react/dist/style.css';
import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  ReactFlowProvider,
  type NodeMouseHandler,
} from '@xyflow/react';
import { useMemo } from 'react';
import { ContainerNode, type ContainerFlowNode } from './ContainerNode.js';
import { DependencyEdge, type DependencyFlowEdge } from './DependencyEdge.js';
import { layoutGraphWithEdges } from './graph-layout.js';
import type { GraphModel } from './graph-model.js';

const nodeTypes = { container: ContainerNode };
const edgeTypes = { dependency: DependencyEdge };

/** Layout depends only on the graph's shape, so live status changes do not move nodes. */
function shapeKey(model: GraphModel): string {
  return `${model.nodes.map((n) => n.id).join(',')}|${model.edges.map((e) => e.id).join(',')}`;
}

export function DependencyGraph({
  model,
  selected,
  onSelect,
  height = 520,
}: {
  model: GraphModel;
  selected?: string | undefined;
  onSelect?: (name: string) => void;
  height?: number;
}) {
  const key = shapeKey(model);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const layout = useMemo(() => layoutGraphWithEdges(model), [key]);
  const positions = useMemo(() => new Map(layout.nodes.map((p) => [p.id, p])), [layout]);
  const routes = useMemo(() => new Map(layout.edges.map((r) => [r.id, r])), [layout]);
  const nodes = useMemo<ContainerFlowNode[]>(
    () =>
      model.nodes.map((n) => ({
        id: n.id,
        type: 'container',
        position: { x: positions.get(n.id)?.x ?? 0, y: positions.get(n.id)?.y ?? 0 },
        data: { node: n, selected: n.id === selected },
        draggable: false,
        connectable: false,
      })),
    [model.nodes, positions, selected],
  );
  const edges = useMemo<DependencyFlowEdge[]>(
    () =>
      model.edges.map((e) => ({
        id: e.id,
        source: e.source,
        target: e.target,
        type: 'dependency',
        animated: e.animated,
        data: { edge: e, ...(routes.get(e.id) ? { route: routes.get(e.id)! } : {}) },
        markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
        className: `graph-edge-wrap-${e.state}`,
      })),
    [model.edges, routes],
  );
  const onNodeClick: NodeMouseHandler = (_event, node) => onSelect?.(node.id);
  if (model.nodes.length === 0) {
    return (
      <div className="graph-empty muted">Nothing to draw: the definition has no readable containers.</div>
    );
  }
  return (
    <div className="graph" style={{ height }} data-testid="dependency-graph">
      <ReactFlowProvider>
        <ReactFlow
          key={key}
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodeClick={onNodeClick}
          fitView
          fitViewOptions={{ padding: 0.08, maxZoom: 1 }}
          minZoom={0.3}
          maxZoom={2}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
        >
          <Background gap={20} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </ReactFlowProvider>
    </div>
  );
}
