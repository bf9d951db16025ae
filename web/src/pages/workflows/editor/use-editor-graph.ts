import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { useState } from "react";
import { type FlowEdge, type FlowNode, newNodeId, toFlow, toFlowEdge } from "./definition-graph.ts";
import type { DefinitionNode, NodeTypeInfo, WorkflowDefinition } from "./editor-api.ts";
import { useGraphHistory } from "./use-graph-history.ts";

const SPACING = { x: 280, y: 130 };

/** A free spot right of `after` (else of the rightmost node), moved down past any node there. */
function placeFor(nodes: readonly FlowNode[], after: FlowNode | undefined) {
  const rightmost = nodes.reduce<FlowNode | undefined>(
    (found, n) => (!found || n.position.x > found.position.x ? n : found),
    undefined,
  );
  const from = after ?? rightmost;
  const spot = from ? { x: from.position.x + SPACING.x, y: from.position.y } : { x: 0, y: 0 };
  const near = (n: FlowNode) =>
    Math.abs(n.position.x - spot.x) < SPACING.x / 2 && Math.abs(n.position.y - spot.y) < 60;
  while (nodes.some(near)) spot.y += SPACING.y;
  return spot;
}

/**
 * The canvas's state: nodes and edges as React Flow draws them, the edits the editor offers,
 * and a revision that counts every change of the workflow (not of the selection), so the
 * page knows what is unsaved, with undo and redo of those changes.
 */
export function useEditorGraph(
  initial: WorkflowDefinition | null,
  nodeTypes: readonly NodeTypeInfo[],
) {
  const [graph, setGraph] = useState(() =>
    initial ? toFlow(initial, nodeTypes) : { nodes: [] as FlowNode[], edges: [] as FlowEdge[] },
  );
  const [revision, setRevision] = useState(0);
  const changed = () => setRevision((r) => r + 1);
  const history = useGraphHistory(graph, setGraph, revision, changed);
  const { nodes, edges } = graph;
  const selectedNodes = nodes.filter((n) => n.selected);

  const select = (nodeId: string | null) =>
    setGraph((g) => ({
      nodes: g.nodes.map((n) => ({ ...n, selected: n.id === nodeId })),
      edges: g.edges.map((e) => ({ ...e, selected: false })),
    }));

  /**
   * Adds a node of `type`, connected from the selected node's first port that leads nowhere
   * yet (so adding twice after an `if` fills true, then false), and selects it.
   */
  const addNode = (type: NodeTypeInfo) => {
    const after = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
    const id = newNodeId(type.type, new Set(nodes.map((n) => n.id)));
    const node: FlowNode = {
      id,
      type: "workflowNode",
      position: placeFor(nodes, after),
      selected: true,
      data: { node: { id, type: type.type, parameters: {} }, nodeType: type },
    };
    const ports = after?.data.nodeType?.ports ?? [];
    const used = new Set(edges.filter((e) => e.source === after?.id).map((e) => e.sourceHandle));
    const port = ports.find((p) => !used.has(p)) ?? ports[0];
    const link =
      after && port && type.kind !== "trigger"
        ? [toFlowEdge({ from: after.id, to: id, port })]
        : [];
    setGraph((g) => ({
      nodes: [...g.nodes.map((n) => ({ ...n, selected: false })), node],
      edges: [...g.edges.map((e) => ({ ...e, selected: false })), ...link],
    }));
    changed();
  };

  const connect = (connection: Pick<Connection, "source" | "target" | "sourceHandle">) => {
    const edge = toFlowEdge({
      from: connection.source,
      to: connection.target,
      port: connection.sourceHandle ?? "main",
    });
    setGraph((g) =>
      g.edges.some((e) => e.id === edge.id) ? g : { ...g, edges: [...g.edges, edge] },
    );
    changed();
  };

  /** Removes the selected nodes (with their edges) and the selected edges. */
  const deleteSelection = () => {
    setGraph((g) => {
      const gone = new Set(g.nodes.filter((n) => n.selected).map((n) => n.id));
      return {
        nodes: g.nodes.filter((n) => !gone.has(n.id)),
        edges: g.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target)),
      };
    });
    changed();
  };

  /** The settings panel changed a node (name, parameters, credential). */
  const updateNode = (node: DefinitionNode) => {
    setGraph((g) => ({
      ...g,
      nodes: g.nodes.map((n) => (n.id === node.id ? { ...n, data: { ...n.data, node } } : n)),
    }));
    history.editing(node.id);
    changed();
  };

  return {
    nodes,
    edges,
    revision,
    selectedNodes,
    hasSelection: selectedNodes.length > 0 || edges.some((e) => e.selected),
    onNodesChange: (changes: NodeChange<FlowNode>[]) =>
      setGraph((g) => ({ ...g, nodes: applyNodeChanges(changes, g.nodes) })),
    onEdgesChange: (changes: EdgeChange<FlowEdge>[]) =>
      setGraph((g) => ({ ...g, edges: applyEdgeChanges(changes, g.edges) })),
    changed,
    select,
    addNode,
    connect,
    deleteSelection,
    updateNode,
    history,
  };
}
