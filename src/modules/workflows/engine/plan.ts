import type { WorkflowDefinition } from "../definition.ts";
import { incomingEdges } from "../graph.ts";

export interface StepState {
  nodeId: string;
  status: "running" | "retrying" | "waiting" | "succeeded" | "failed" | "skipped";
  port: string | null;
  attempt: number;
}

export type NextMove =
  | { kind: "run"; nodeId: string }
  | { kind: "skip"; nodeId: string }
  | { kind: "wait" }
  | { kind: "failed" }
  | { kind: "done" };

/**
 * The next thing to do for an execution, from the definition and what its steps recorded.
 * Nodes are visited in topological order; a node runs once every upstream node has settled
 * and at least one incoming edge is live (its source succeeded on that edge's port), and is
 * skipped when none is. A node left `running` by a crash, or `retrying`, runs again.
 */
export function nextMove(
  definition: WorkflowDefinition,
  order: string[],
  steps: Map<string, StepState>,
  triggerId: string,
): NextMove {
  for (const nodeId of order) {
    const step = steps.get(nodeId);
    if (step?.status === "succeeded" || step?.status === "skipped") continue;
    if (step?.status === "failed") return { kind: "failed" };
    if (step?.status === "waiting") return { kind: "wait" };
    const incoming = incomingEdges(definition, nodeId);
    if (incoming.length === 0) {
      // the trigger runs first; any other node without inputs is unreachable
      return nodeId === triggerId ? { kind: "run", nodeId } : { kind: "skip", nodeId };
    }
    const live = incoming.some((edge) => {
      const source = steps.get(edge.from);
      return source?.status === "succeeded" && (source.port ?? "main") === edge.port;
    });
    return live ? { kind: "run", nodeId } : { kind: "skip", nodeId };
  }
  return { kind: "done" };
}
