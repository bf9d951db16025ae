import { queryOptions } from "@tanstack/react-query";
import type {
  DefinitionEdge,
  DefinitionNode,
  WorkflowDefinition,
} from "../../../../../src/modules/workflows/definition.ts";
import { api } from "../../../lib/trpc.ts";

export type { DefinitionEdge, DefinitionNode, WorkflowDefinition };

/** One element of `workflows.nodeTypes`: display name, palette group, ports, parameters. */
export type NodeTypeInfo = Awaited<ReturnType<typeof api.workflows.nodeTypes.query>>[number];

/** A refused save's problem (`details.problems` of saveDefinition's 400). */
export interface DefinitionProblem {
  nodeId?: string;
  path?: string;
  message: string;
}

export const nodeTypesQuery = queryOptions({
  queryKey: ["workflows.nodeTypes"],
  queryFn: () => api.workflows.nodeTypes.query(),
  staleTime: Number.POSITIVE_INFINITY,
});

export const workflowQuery = (workflowId: string) =>
  queryOptions({
    queryKey: ["workflows.get", workflowId],
    queryFn: () => api.workflows.get.query({ workflowId }),
  });

/** The current version when `version` is undefined. */
export const definitionQuery = (workflowId: string, version?: number) =>
  queryOptions({
    queryKey: ["workflows.getDefinition", workflowId, version],
    queryFn: () => api.workflows.getDefinition.query({ workflowId, version }),
  });

/** One page of the version history, newest first; `cursor` is the previous page's `nextCursor`. */
export const versionsQuery = (workflowId: string, limit: number, cursor?: string) =>
  queryOptions({
    queryKey: ["workflowVersions.list", workflowId, limit, cursor],
    queryFn: () => api.workflowVersions.list.query({ workflowId, limit, cursor }),
  });

/** The stored definition is JSON the server validated on save; it has this shape. */
export const asDefinition = (stored: unknown) => stored as WorkflowDefinition;
