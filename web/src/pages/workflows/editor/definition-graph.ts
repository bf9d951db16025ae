import type { Edge, Node } from "@xyflow/react";
import type {
  DefinitionEdge,
  DefinitionNode,
  NodeTypeInfo,
  WorkflowDefinition,
} from "./editor-api.ts";

/** What a drawn node carries: its definition node, and what the canvas shows about it. */
export type FlowNodeData = {
  node: DefinitionNode;
  nodeType: NodeTypeInfo | undefined;
  /** An execution step's status, in the execution viewer. */
  status?: string;
  /** Problems the last refused save found on this node. */
  problems?: string[];
};
export type FlowNode = Node<FlowNodeData, "workflowNode">;
export type FlowEdge = Edge<{ port: string }>;

const COLUMN = 280;
const ROW = 130;

/** What a screen reader hears for a node: its type and its name. */
export const nodeLabel = (data: FlowNodeData) =>
  `${data.nodeType?.displayName ?? data.node.type}: ${data.node.name || data.node.id}`;

export const edgeId = (edge: DefinitionEdge) => `${edge.from}:${edge.port}->${edge.to}`;

/** The canvas's nodes and edges for a stored definition; nodes without a position are laid out. */
export function toFlow(
  definition: WorkflowDefinition,
  nodeTypes: readonly NodeTypeInfo[],
): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const typeOf = new Map(nodeTypes.map((t) => [t.type, t]));
  const laidOut = layout(definition);
  const nodes = definition.nodes.map(
    (node): FlowNode => ({
      id: node.id,
      type: "workflowNode",
      position: node.position ?? laidOut.get(node.id) ?? { x: 0, y: 0 },
      data: { node, nodeType: typeOf.get(node.type) },
    }),
  );
  return { nodes, edges: (definition.edges ?? []).map(toFlowEdge) };
}

export function toFlowEdge(edge: DefinitionEdge): FlowEdge {
  const port = edge.port ?? "main";
  return {
    id: edgeId({ ...edge, port }),
    source: edge.from,
    target: edge.to,
    sourceHandle: port,
    label: port === "main" ? undefined : port,
    data: { port },
  };
}

/** The definition the canvas shows, with each node's position, ready for saveDefinition. */
export function toDefinition(nodes: readonly FlowNode[], edges: readonly FlowEdge[]) {
  return {
    nodes: nodes.map((n) => ({
      ...n.data.node,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    })),
    edges: edges.map((e) => ({
      from: e.source,
      to: e.target,
      port: e.data?.port ?? e.sourceHandle ?? "main",
    })),
  } satisfies WorkflowDefinition;
}

/**
 * Columns by distance from the nodes nothing leads to (the trigger first), rows in definition
 * order: a readable start for definitions saved without positions (e.g. through the API).
 */
function layout(definition: WorkflowDefinition) {
  const incoming = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const edge of definition.edges ?? []) {
    incoming.set(edge.to, (incoming.get(edge.to) ?? 0) + 1);
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  }
  const column = new Map<string, number>();
  const queue = definition.nodes.filter((n) => !incoming.get(n.id)).map((n) => n.id);
  for (const id of queue) column.set(id, 0);
  // longest distance, bounded by the node count so a cycle cannot loop forever
  for (let i = 0; i < queue.length && i < definition.nodes.length ** 2; i++) {
    const id = queue[i] as string;
    for (const to of next.get(id) ?? []) {
      const depth = (column.get(id) ?? 0) + 1;
      if (depth > (column.get(to) ?? -1) && depth < definition.nodes.length) {
        column.set(to, depth);
        queue.push(to);
      }
    }
  }
  const rows = new Map<number, number>();
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of definition.nodes) {
    const col = column.get(node.id) ?? 0;
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    positions.set(node.id, { x: col * COLUMN, y: row * ROW });
  }
  return positions;
}

/** A fresh node id from its type: `transform`, then `transform_2`, … */
export function newNodeId(type: string, taken: ReadonlySet<string>) {
  const base = /^[A-Za-z]/.test(type) ? type.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 56) : "node";
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}
