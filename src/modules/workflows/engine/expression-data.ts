import type { ExpressionData } from "../expressions.ts";

interface StepOutput {
  nodeId: string;
  status: string;
  output: unknown;
}

/** What a node's expressions see: the trigger's payload and the outputs of the nodes that succeeded. */
export function expressionData(payload: unknown, steps: Iterable<StepOutput>): ExpressionData {
  const succeeded = [...steps].filter((s) => s.status === "succeeded");
  return {
    trigger: payload,
    nodes: Object.fromEntries(succeeded.map((s) => [s.nodeId, s.output])),
  };
}
