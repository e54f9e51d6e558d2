/** A dependsOn edge: condition label, live state colour, animated while waiting, reason on failure. */
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import type { RoutedEdge } from './graph-layout.js';
import type { GraphEdge } from './graph-model.js';

export type DependencyFlowEdge = Edge<{ edge: GraphEdge; route?: RoutedEdge }, 'dependency'>;

type Point = { readonly x: number; readonly y: number };

/** A smooth path through `points` (Catmull-Rom as cubic Béziers). */
export function smoothPath(points: readonly Point[]): string {
  const p = points;
  if (p.length < 2) return '';
  let d = `M ${p[0]!.x},${p[0]!.y}`;
  for (let i = 0; i < p.length - 1; i++) {
    const p0 = p[i - 1] ?? p[i]!;
    const p1 = p[i]!;
    const p2 = p[i + 1]!;
    const p3 = p[i + 2] ?? p2;
    const c1 = { x: p1.x + (p2.x - p0.x) / 6, y: p1.y + (p2.y - p0.y) / 6 };
    const c2 = { x: p2.x - (p3.x - p1.x) / 6, y: p2.y - (p3.y - p1.y) / 6 };
    d += ` C ${c1.x},${c1.y} ${c2.x},${c2.y} ${p2.x},${p2.y}`;
  }
  return d;
}

export function DependencyEdge(props: EdgeProps<DependencyFlowEdge>) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, data } = props;
  const [bezier, bx, by] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  });
  // Follow dagre's route around other nodes; a backward edge (on a cycle) keeps the default curve.
  const backward = targetX <= sourceX;
  const route = data?.route && !backward ? data.route : undefined;
  // A backward edge (on a cycle) loops underneath both nodes, its label below the loop.
  const drop = 150;
  const loop = `M ${sourceX},${sourceY} C ${sourceX + 120},${sourceY + drop} ${targetX - 120},${targetY + drop} ${targetX},${targetY}`;
  const path = backward
    ? loop
    : route
      ? smoothPath([{ x: sourceX, y: sourceY }, ...route.points, { x: targetX, y: targetY }])
      : bezier;
  const labelX = backward ? (sourceX + targetX) / 2 : route ? route.label.x : bx;
  const labelY = backward ? Math.max(sourceY, targetY) + drop * 0.75 : route ? route.label.y : by;
  const e = data?.edge;
  if (!e) return null;
  return (
    <>
      <BaseEdge
        path={path}
        className={`graph-edge graph-edge-${e.state}`}
        {...(markerEnd ? { markerEnd } : {})}
      />
      <EdgeLabelRenderer>
        <div
          className={`graph-edge-label graph-edge-label-${e.state} nodrag nopan`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid={`graph-edge-${e.source}-${e.target}`}
          data-state={e.state}
          title={e.detail}
        >
          <span className="graph-edge-condition">{e.condition}</span>
          {e.state === 'met' && <span aria-label="met"> ✓</span>}
          {e.detail && e.state !== 'met' && <span className="graph-edge-detail">{e.detail}</span>}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}
