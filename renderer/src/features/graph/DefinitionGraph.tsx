/** Graph tab of a saved definition: static graph, validation problems drawn where they are. */
import { useMemo } from 'react';
import type { DefinitionDetail } from '../../../../contract/dto.js';
import { DependencyGraph } from './DependencyGraph.js';
import { graphFromDefinitionText } from './graph-model.js';

export function DefinitionGraph({ definition }: { definition: DefinitionDetail }) {
  const model = useMemo(
    () => graphFromDefinitionText(definition.text, definition.errors),
    [definition.text, definition.errors],
  );
  const invalidEdges = model.edges.filter((e) => e.state === 'invalid').length;
  return (
    <div className="graph-tab" data-testid="definition-graph">
      {(invalidEdges > 0 || model.problems.length > 0) && (
        <div className="callout callout-error">
          {invalidEdges > 0 && (
            <p>
              {invalidEdges} dependency edge{invalidEdges === 1 ? '' : 's'} cannot be satisfied (drawn in
              red).
            </p>
          )}
          {model.problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      <DependencyGraph model={model} />
    </div>
  );
}
