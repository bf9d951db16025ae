import {
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type XYPosition,
} from "@xyflow/react";
import { useState } from "react";
import { type FlowEdge, type FlowNode, newNodeId, toFlow, toFlowEdge } from "./definition-graph.ts";
import type { DefinitionNode, NodeTypeInfo, WorkflowDefinition } from "./editor-api.ts";
import { NODE_SIZE } from "./graph-node.tsx";
import { useGraphHistory } from "./use-graph-history.ts";

const SPACING = { x: 280, y: 130 };
/** Room kept around a node so that a new one is not drawn on or against it. */
const GAP = { x: 24, y: 16 };

/**
 * A spot right of `after`, else centred on `centre` (the middle of the view), moved down
 * past any node there.
 */
function placeFor(nodes: readonly FlowNode[], after: FlowNode | undefined, centre?: XYPosition) {
  const spot = after
    ? { x: after.position.x + SPACING.x, y: after.position.y }
    : centre
      ? { x: centre.x - NODE_SIZE.width / 2, y: centre.y - NODE_SIZE.height / 2 }
      : { x: 0, y: 0 };
  const near = (n: FlowNode) =>
    Math.abs(n.position.x - spot.x) < (n.measured?.width ?? NODE_SIZE.width) + GAP.x &&
    Math.abs(n.position.y - spot.y) < (n.measured?.height ?? NODE_SIZE.height) + GAP.y;
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
   * yet (so adding twice after an `if` fills true, then false), and selects it. With nothing
   * selected it goes to a free spot at `centre`, the middle of what the canvas shows.
   */
  const addNode = (type: NodeTypeInfo, centre?: XYPosition) => {
    const after = selectedNodes.length === 1 ? selectedNodes[0] : undefined;
    const id = newNodeId(type.type, new Set(nodes.map((n) => n.id)));
    const node: FlowNode = {
      id,
      type: "workflowNode",
      position: placeFor(nodes, after, centre),
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
