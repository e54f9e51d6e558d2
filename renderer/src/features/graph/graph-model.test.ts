import { describe, expect, it } from 'vitest';
import type { DependencyWait, TaskDefinitionView } from '../../../../contract/dto.js';
import { container, task } from '../tasks/task-fixtures.js';
import { layoutGraph } from './graph-layout.js';
import {
  graphFromDefinitionText,
  graphFromDefinitionView,
  graphFromTask,
  liveEdgeLabel,
} from './graph-model.js';

const wait = (over: Partial<DependencyWait>): DependencyWait => ({
  containerName: 'db',
  condition: 'HEALTHY',
  state: 'waiting',
  detail: 'db: HEALTHY — 2 failed probes, 14 s of startTimeout 60 s',
  ...over,
});

describe('liveEdgeLabel', () => {
  it.each([
    [wait({}), 'HEALTHY · db: HEALTHY — 2 failed probes, 14 s of startTimeout 60 s'],
    [wait({ state: 'met', detail: 'db: HEALTHY met' }), 'HEALTHY ✓'],
    [
      wait({ condition: 'SUCCESS', state: 'failed', detail: 'init exited with code 3, SUCCESS requires 0' }),
      'SUCCESS ✕ init exited with code 3, SUCCESS requires 0',
    ],
  ])('%o → %s', (w, label) => expect(liveEdgeLabel(w)).toBe(label));
});

describe('graphFromTask', () => {
  const def: TaskDefinitionView = {
    family: 'f',
    revision: 1,
    networkMode: 'bridge',
    containers: [
      {
        name: 'db',
        image: 'pg',
        essential: true,
        cpu: 0,
        portMappings: [],
        environment: [],
        secrets: [],
        dependsOn: [],
      },
      {
        name: 'app',
        image: 'app',
        essential: true,
        cpu: 0,
        portMappings: [],
        environment: [],
        secrets: [],
        dependsOn: [{ containerName: 'db', condition: 'HEALTHY' }],
      },
    ],
  };

  it.each([
    {
      name: 'declared, not yet evaluated',
      deps: [],
      expected: { state: 'declared', label: 'HEALTHY', animated: false },
    },
    {
      name: 'waiting: animated, says why',
      deps: [wait({})],
      expected: { state: 'waiting', animated: true, detail: wait({}).detail },
    },
    {
      name: 'met',
      deps: [wait({ state: 'met', detail: 'db: HEALTHY met', at: '2025-01-01T00:00:05Z' })],
      expected: { state: 'met', label: 'HEALTHY ✓', animated: false },
    },
    {
      name: 'failed: the reason is on the edge',
      deps: [wait({ state: 'failed', detail: 'db exited with code 1 before becoming HEALTHY' })],
      expected: { state: 'failed', label: 'HEALTHY ✕ db exited with code 1 before becoming HEALTHY' },
    },
  ])('$name', ({ deps, expected }) => {
    const model = graphFromTask(
      task([
        container({ name: 'db', lastStatus: 'RUNNING', phase: 'RUNNING', healthStatus: 'UNHEALTHY' }),
        container({ name: 'app', phase: 'WAITING', dependencies: deps }),
      ]),
      def,
    );
    expect(model.edges).toHaveLength(1);
    expect(model.edges[0]).toMatchObject({ source: 'db', target: 'app', condition: 'HEALTHY', ...expected });
  });

  it('nodes carry status, phase, health, exit code and essential', () => {
    const model = graphFromTask(
      task([
        container({ name: 'db', lastStatus: 'STOPPED', phase: 'STOPPED', exitCode: 3, essential: false }),
        container({ name: 'app', phase: 'WAITING' }),
      ]),
    );
    expect(model.nodes).toEqual([
      expect.objectContaining({
        id: 'db',
        status: 'STOPPED',
        exitCode: 3,
        essential: false,
        health: 'UNKNOWN',
      }),
      expect.objectContaining({ id: 'app', status: 'WAITING', essential: true }),
    ]);
  });
});

describe('graphFromDefinitionText', () => {
  const doc = (containers: unknown[]) => JSON.stringify({ family: 'f', containerDefinitions: containers });
  const c = (name: string, dependsOn: unknown[] = [], extra: object = {}) => ({
    name,
    image: `${name}:1`,
    dependsOn,
    ...extra,
  });

  it.each([
    {
      name: 'plain chain',
      text: doc([c('db'), c('app', [{ containerName: 'db', condition: 'HEALTHY' }])]),
      errors: [],
      edges: [{ source: 'db', target: 'app', state: 'declared', label: 'HEALTHY' }],
      nodes: ['db', 'app'],
    },
    {
      name: 'a cycle: every edge of it is invalid, the reported one carries the message',
      text: doc([
        c('a', [{ containerName: 'b', condition: 'START' }]),
        c('b', [{ containerName: 'a', condition: 'START' }]),
        c('c', [{ containerName: 'a', condition: 'START' }]),
      ]),
      errors: [
        {
          path: 'containerDefinitions[1].dependsOn[0]',
          message: "Container dependency between 'a' and 'b' is cyclic; dependsOn graph must be acyclic",
        },
      ],
      edges: [
        { source: 'b', target: 'a', state: 'invalid', detail: 'Part of a dependency cycle' },
        { source: 'a', target: 'b', state: 'invalid', detail: expect.stringContaining('cyclic') },
        { source: 'a', target: 'c', state: 'declared' },
      ],
      nodes: ['a', 'b', 'c'],
    },
    {
      name: 'missing upstream gets a ghost node',
      text: doc([c('app', [{ containerName: 'ghost', condition: 'START' }])]),
      errors: [{ path: 'containerDefinitions[0].dependsOn[0].containerName', message: 'no container ghost' }],
      edges: [{ source: 'ghost', target: 'app', state: 'invalid', detail: 'no container ghost' }],
      nodes: ['app', 'ghost'],
    },
    {
      name: 'bare containerDefinitions array',
      text: JSON.stringify([c('x'), c('y', [{ containerName: 'x', condition: 'COMPLETE' }])]),
      errors: [],
      edges: [{ source: 'x', target: 'y', condition: 'COMPLETE' }],
      nodes: ['x', 'y'],
    },
    {
      name: 'DescribeTaskDefinition output shape',
      text: JSON.stringify({ taskDefinition: { containerDefinitions: [c('only')] } }),
      errors: [],
      edges: [],
      nodes: ['only'],
    },
    {
      name: 'unparseable text: no graph, the error listed',
      text: '{ nope',
      errors: [{ path: '', message: 'Unexpected token' }],
      edges: [],
      nodes: [],
    },
  ])('$name', ({ text, errors, edges, nodes }) => {
    const model = graphFromDefinitionText(text, errors);
    expect(model.nodes.map((n) => n.id)).toEqual(nodes);
    expect(model.edges).toHaveLength(edges.length);
    edges.forEach((e, i) => expect(model.edges[i]).toMatchObject(e));
  });

  it('puts container-level problems on the node and the rest beside the graph', () => {
    const model = graphFromDefinitionText(doc([c('a'), c('b', [], { essential: false })]), [
      { path: 'containerDefinitions[0].memory', message: 'memory must be at least 6 MiB' },
      { path: 'family', message: 'family is required' },
    ]);
    expect(model.nodes[0]?.problems).toEqual(['memory must be at least 6 MiB']);
    expect(model.nodes[1]?.essential).toBe(false);
    expect(model.problems).toEqual(['family: family is required']);
  });

  it('matches the normalised view for a valid definition', () => {
    const view = graphFromDefinitionView({
      family: 'f',
      revision: 1,
      networkMode: 'bridge',
      containers: [
        {
          name: 'a',
          image: 'a',
          essential: true,
          cpu: 0,
          portMappings: [],
          environment: [],
          secrets: [],
          dependsOn: [],
        },
        {
          name: 'b',
          image: 'b',
          essential: true,
          cpu: 0,
          portMappings: [],
          environment: [],
          secrets: [],
          dependsOn: [{ containerName: 'a', condition: 'START' }],
        },
      ],
    });
    expect(view.edges.map((e) => [e.source, e.target, e.label])).toEqual([['a', 'b', 'START']]);
  });
});

describe('layoutGraph', () => {
  it('places upstreams left of their dependents, and survives a cycle', () => {
    const model = graphFromDefinitionText(
      JSON.stringify({
        containerDefinitions: [
          { name: 'db' },
          { name: 'app', dependsOn: [{ containerName: 'db', condition: 'START' }] },
          { name: 'x', dependsOn: [{ containerName: 'y', condition: 'START' }] },
          { name: 'y', dependsOn: [{ containerName: 'x', condition: 'START' }] },
        ],
      }),
      [],
    );
    const pos = new Map(layoutGraph(model).map((p) => [p.id, p]));
    expect(pos.get('db')!.x).toBeLessThan(pos.get('app')!.x);
    expect(pos.size).toBe(4);
  });
});
