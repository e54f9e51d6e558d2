/** A graph node: container name, essential badge, image, status, health, exit code, problems. */
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { HealthBadge, StatusBadge } from '../../components/StatusBadge.js';
import type { GraphNode } from './graph-model.js';

export type ContainerFlowNode = Node<{ node: GraphNode; selected: boolean }, 'container'>;

export function ContainerNode({ data }: NodeProps<ContainerFlowNode>) {
  const n = data.node;
  const tone = n.missing || n.problems.length ? ' graph-node-problem' : '';
  return (
    <div
      className={`graph-node${tone}${data.selected ? ' graph-node-selected' : ''}`}
      data-testid={`graph-node-${n.name}`}
      data-status={n.status ?? ''}
      title={n.problems.join('\n') || n.reason || undefined}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="graph-node-head">
        <strong className="graph-node-name">{n.name}</strong>
        {n.missing ? (
          <span className="badge badge-error badge-small">missing</span>
        ) : n.essential ? (
          <span className="badge badge-accent badge-small">essential</span>
        ) : (
          <span className="badge badge-muted badge-small">non-essential</span>
        )}
      </div>
      {n.image && <div className="graph-node-image mono">{n.image}</div>}
      <div className="graph-node-status">
        {n.status && <StatusBadge status={n.status} />}
        {n.health && n.health !== 'UNKNOWN' && <HealthBadge health={n.health} />}
        {n.exitCode !== undefined && (
          <span
            className={`badge badge-small ${n.exitCode === 0 ? 'badge-muted' : 'badge-error'}`}
            data-testid="node-exit"
          >
            exit {n.exitCode}
          </span>
        )}
      </div>
      {n.problems.length > 0 && <div className="graph-node-problem-text">{n.problems[0]}</div>}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}
