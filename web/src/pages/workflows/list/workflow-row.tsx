import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import type { Action } from "../../../../../src/access/statements.ts";
import { SharingBadge } from "../../../components/sharing/sharing-badge.tsx";
import { SharingPanel } from "../../../components/sharing/sharing-panel.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { ConfirmDialog, Dialog } from "../../../components/ui/dialog.tsx";
import { Menu } from "../../../components/ui/menu.tsx";
import { Cell } from "../../../components/ui/table.tsx";
import { toast } from "../../../components/ui/toast.tsx";
import { usePermissions } from "../../../lib/permissions.ts";
import { api } from "../../../lib/trpc.ts";
import { ExecutionStatus } from "../../executions/execution-status.tsx";
import { formatTime } from "../../reviews/review-status.tsx";
import { RunDialog } from "./run-dialog.tsx";
import { RenameWorkflowForm } from "./workflow-form.tsx";
import { type WorkflowSummary, workflowRightsQuery } from "./workflows-api.ts";

type Open = "run" | "rename" | "share" | "delete" | null;

/** One workflow with the actions the viewer has on it (the server decides again). */
export function WorkflowRow({
  workflow,
  triggerName,
}: {
  workflow: WorkflowSummary;
  triggerName: string | null;
}) {
  const { can } = usePermissions();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  // The role says what is possible at all; the workflow's grants say what is possible here.
  const mayAct = (
    ["workflow:run", "workflow:edit", "workflow:delete", "workflow:share"] as const
  ).some((action) => can(action));
  const rights = useQuery({ ...workflowRightsQuery(workflow.id), enabled: mayAct });
  const has = (action: Action) => can(action) && !!rights.data?.actions.includes(action);

  const remove = useMutation({
    mutationFn: () => api.workflows.delete.mutate({ workflowId: workflow.id }),
    onSuccess: () => {
      toast.success(`Deleted ${workflow.name}`);
      close();
      return queryClient.invalidateQueries({ queryKey: ["workflows.list"] });
    },
  });
  const last = workflow.lastExecution;
  // the rarer actions sit in a menu, so the name keeps the width at 1024 px
  const item = (label: string, opens: Open) => ({
    label,
    name: `${label} ${workflow.name}`,
    onSelect: () => setOpen(opens),
  });

  return (
    <tr>
      <Cell>
        <Link
          to="/workflows/$workflowId"
          params={{ workflowId: workflow.id }}
          className="font-medium text-indigo-700 underline"
        >
          {workflow.name}
        </Link>
        {workflow.description && (
          <p className="max-w-xs truncate text-xs text-slate-500">{workflow.description}</p>
        )}
      </Cell>
      <Cell>{workflow.currentVersion ? `v${workflow.currentVersion}` : "Not saved"}</Cell>
      <Cell>{triggerName ?? "—"}</Cell>
      <Cell>
        {last ? (
          <Link
            to="/executions/$executionId"
            params={{ executionId: last.id }}
            aria-label={`Last execution of ${workflow.name}: ${last.status}`}
            className="flex flex-wrap items-center gap-2 text-xs text-slate-600 hover:underline"
          >
            <ExecutionStatus status={last.status} />
            {formatTime(last.createdAt)}
          </Link>
        ) : (
          <span className="text-xs text-slate-500">Never run</span>
        )}
      </Cell>
      <Cell>
        <SharingBadge mode={workflow.sharingMode} defaultLevel={workflow.defaultLevel} />
      </Cell>
      <Cell>
        <div className="flex items-center justify-end gap-0.5 whitespace-nowrap">
          {has("workflow:run") && workflow.currentVersion && (
            <Button
              variant="ghost"
              className="px-2!"
              aria-label={`Run ${workflow.name}`}
              onClick={() => setOpen("run")}
            >
              Run
            </Button>
          )}
          <Link
            to="/executions"
            search={{ workflowId: workflow.id }}
            aria-label={`Executions of ${workflow.name}`}
            className="rounded-md px-2 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100"
          >
            Executions
          </Link>
          <Menu
            label={`More actions for ${workflow.name}`}
            items={[
              ...(has("workflow:edit") ? [item("Rename", "rename")] : []),
              ...(has("workflow:share") ? [item("Share", "share")] : []),
              ...(has("workflow:delete")
                ? [{ ...item("Delete", "delete"), destructive: true }]
                : []),
            ]}
          />
        </div>
        <RunDialog workflow={workflow} open={open === "run"} onOpenChange={(o) => !o && close()} />
        <Dialog
          open={open === "rename"}
          onOpenChange={(o) => !o && close()}
          title={`Rename ${workflow.name}`}
        >
          <RenameWorkflowForm workflow={workflow} onDone={close} />
        </Dialog>
        <Dialog
          open={open === "share"}
          onOpenChange={(o) => !o && close()}
          title={`Share ${workflow.name}`}
          size="wide"
        >
          <SharingPanel assetType="workflow" assetId={workflow.id} onClose={close} />
        </Dialog>
        <ConfirmDialog
          open={open === "delete"}
          onOpenChange={(o) => !o && close()}
          title={`Delete ${workflow.name}?`}
          description="Its versions and every execution's history go with it, and its webhook URL and schedule stop working. This cannot be undone."
          confirmLabel="Delete"
          pending={remove.isPending}
          onConfirm={() => remove.mutate()}
        />
      </Cell>
    </tr>
  );
}
