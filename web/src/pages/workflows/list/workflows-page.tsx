import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog } from "../../../components/ui/dialog.tsx";
import { EmptyState, ErrorState, Spinner } from "../../../components/ui/states.tsx";
import { Table } from "../../../components/ui/table.tsx";
import { usePermissions } from "../../../lib/permissions.ts";
import { isActive } from "../../executions/execution-status.tsx";
import { nodeTypesQuery } from "../editor/editor-api.ts";
import { CreateWorkflowForm } from "./workflow-form.tsx";
import { WorkflowRow } from "./workflow-row.tsx";
import { workflowsQuery } from "./workflows-api.ts";

/** The workflows the member may view, with their trigger, last execution and sharing. */
export function WorkflowsPage() {
  const { can } = usePermissions();
  const workflows = useQuery({
    ...workflowsQuery,
    // while a last execution may still change, keep its status fresh
    refetchInterval: (query) =>
      query.state.data?.some((w) => w.lastExecution && isActive(w.lastExecution.status))
        ? 3000
        : false,
  });
  const nodeTypes = useQuery(nodeTypesQuery);
  const [creating, setCreating] = useState(false);
  const triggerName = (type: string | null) =>
    type ? (nodeTypes.data?.find((t) => t.type === type)?.displayName ?? type) : null;

  return (
    <div className="max-w-6xl space-y-6">
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold">Workflows</h1>
        {can("workflow:create") && <Button onClick={() => setCreating(true)}>New workflow</Button>}
      </div>
      {workflows.isPending && <Spinner />}
      {workflows.isError && (
        <ErrorState error={workflows.error} onRetry={() => workflows.refetch()} />
      )}
      {workflows.data?.length === 0 && (
        <EmptyState title="No workflows yet">
          {can("workflow:create")
            ? "Create one, then add a trigger and the steps it runs."
            : "Workflows shared with you appear here."}
        </EmptyState>
      )}
      {!!workflows.data?.length && (
        <Table
          caption="Workflows"
          head={["Name", "Version", "Trigger", "Last execution", "Sharing", "Actions"]}
        >
          {workflows.data.map((workflow) => (
            <WorkflowRow
              key={workflow.id}
              workflow={workflow}
              triggerName={triggerName(workflow.triggerType)}
            />
          ))}
        </Table>
      )}
      <Dialog open={creating} onOpenChange={setCreating} title="New workflow">
        <CreateWorkflowForm onCancel={() => setCreating(false)} />
      </Dialog>
    </div>
  );
}
