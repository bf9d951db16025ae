import type { inferRouterOutputs } from "@trpc/server";
import type { DefinitionNode } from "../../../../../src/modules/workflows/definition.ts";
import type { AppRouter } from "../../../../../src/trpc/router.ts";

/** A node of a workflow definition, as `workflows.getDefinition` returns and `saveDefinition` takes it. */
export type WorkflowNode = DefinitionNode;

/** One element of `workflows.nodeTypes`: parameter schema, ports and accepted credentials. */
export type NodeType = inferRouterOutputs<AppRouter>["workflows"]["nodeTypes"][number];

/**
 * A validation problem of this node; `path` is the parameter's path (`url`,
 * `headers.Authorization`, `assignees[0]`, or `assignees.0`), or anything else for a problem of the
 * whole node (shown at the top of the panel).
 */
export interface NodeConfigIssue {
  path: string;
  message: string;
}

export interface NodeConfigPanelProps {
  workflowId: string;
  node: WorkflowNode;
  nodeType: NodeType;
  errors: NodeConfigIssue[];
  readOnly: boolean;
  onChange: (node: WorkflowNode) => void;
  onClose: () => void;
}
