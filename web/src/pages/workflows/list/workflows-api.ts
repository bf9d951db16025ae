import { queryOptions } from "@tanstack/react-query";
import { api } from "../../../lib/trpc.ts";

export type WorkflowSummary = Awaited<ReturnType<typeof api.workflows.list.query>>["items"][number];

export const workflowsQuery = queryOptions({
  queryKey: ["workflows.list"],
  queryFn: () => api.workflows.list.query().then((page) => page.items),
});

/** What the viewer may do with one workflow (their role and its grants, as the server sees). */
export const workflowRightsQuery = (workflowId: string) =>
  queryOptions({
    queryKey: ["access.assetPermissions", "workflow", workflowId],
    queryFn: () =>
      api.access.assetPermissions.query({ assetType: "workflow", assetId: workflowId }),
  });
