import type { DefinitionEdge, WorkflowDefinition } from "./definition.ts";

/** Kahn's algorithm: the nodes that can be ordered; nodes on or below a cycle are left out. */
function orderable(definition: WorkflowDefinition): string[] {
  const indegree = new Map(definition.nodes.map((n) => [n.id, 0]));
  for (const edge of definition.edges) indegree.set(edge.to, (indegree.get(edge.to) ?? 0) + 1);
  const ready = definition.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (ready.length) {
    const id = ready.shift() as string;
    order.push(id);
    for (const edge of definition.edges.filter((e) => e.from === id)) {
      const left = (indegree.get(edge.to) ?? 0) - 1;
      indegree.set(edge.to, left);
      if (left === 0) ready.push(edge.to);
    }
  }
  return order;
}

/** Node ids in an order where every edge goes forward; null when the graph has a cycle. */
export function topologicalOrder(definition: WorkflowDefinition): string[] | null {
  const order = orderable(definition);
  return order.length === definition.nodes.length ? order : null;
}

export const incomingEdges = (definition: WorkflowDefinition, nodeId: string): DefinitionEdge[] =>
  definition.edges.filter((e) => e.to === nodeId);

/** The nodes on a cycle, for the error message. */
export function nodesOnCycles(definition: WorkflowDefinition): string[] {
  const order = new Set(orderable(definition));
  const remaining = new Set(definition.nodes.map((n) => n.id).filter((id) => !order.has(id)));
  // Kahn's algorithm leaves cycle members and what hangs below them; keep those with a path back.
  return [...remaining].filter((id) => reaches(definition, id, id, remaining));
}

function reaches(
  definition: WorkflowDefinition,
  from: string,
  target: string,
  within: Set<string>,
): boolean {
  const seen = new Set<string>();
  const stack = definition.edges.filter((e) => e.from === from).map((e) => e.to);
  while (stack.length) {
    const id = stack.pop() as string;
    if (id === target) return true;
    if (seen.has(id) || !within.has(id)) continue;
    seen.add(id);
    stack.push(...definition.edges.filter((e) => e.from === id).map((e) => e.to));
  }
  return false;
}
